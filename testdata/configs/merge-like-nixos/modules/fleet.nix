{ lib, ... }:
{
  options.fleet.builderUser = lib.mkOption { type = lib.types.str; default = "builder"; };
}
