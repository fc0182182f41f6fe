{ config, inputs, lib, ... }:
{
  options.configurations.nixos = lib.mkOption {
    type = lib.types.lazyAttrsOf (lib.types.submodule {
      options.module = lib.mkOption { type = lib.types.deferredModule; };
    });
  };
  config.flake.nixosConfigurations = lib.mapAttrs
    (name: { module, ... }: inputs.nixpkgs.lib.nixosSystem { modules = [ module { networking.hostName = name; } ]; })
    config.configurations.nixos;
}
