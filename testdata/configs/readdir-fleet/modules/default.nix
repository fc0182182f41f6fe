{ lib, ... }:
{
  imports = lib.mapAttrsToList (n: _: ./${n}) (removeAttrs (builtins.readDir ./.) [ "default.nix" ]);
}
