{ lib, ... }:
{
  # The fleet's inventory: a flake-level option of its own.
  options.fleet = lib.mkOption {
    type = lib.types.attrsOf (lib.types.submodule ({ name, ... }: {
      options = {
        system = lib.mkOption { type = lib.types.str; };
        hostName = lib.mkOption {
          type = lib.types.str;
          default = name;
        };
      };
    }));
    default = { };
  };

  config.fleet = {
    pi.system = "aarch64-linux";
    ritchie.system = "x86_64-linux";
  };
}
