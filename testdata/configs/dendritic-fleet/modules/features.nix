{ lib, ... }:
let
  dir = ../features;
  fromDir = lib.mapAttrs'
    (file: _: lib.nameValuePair (lib.removeSuffix ".nix" file) (import (dir + "/${file}")))
    (lib.filterAttrs (file: kind: kind == "regular" && lib.hasSuffix ".nix" file) (builtins.readDir dir));
in
{
  flake.modules.nixos = fromDir // {
    base = { services.openssh.enable = true; };
  };
}
