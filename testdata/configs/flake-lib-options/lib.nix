{ lib, ... }:
{
  options.flake.lib = lib.mkOption { type = lib.types.lazyAttrsOf lib.types.raw; default = { }; };
  config.flake.lib.modules.aspectOptions = {
    requires = lib.mkOption { type = lib.types.listOf lib.types.str; default = [ ]; };
    nixos = lib.mkOption { type = lib.types.deferredModule; default = { }; };
  };
}
