{ lib, ... }:
{
  options.fleet.builderUser = lib.mkOption { type = lib.types.str; default = "builder"; };
  options.fleet.extraGroup = lib.mkOption { type = lib.types.str; };
}
