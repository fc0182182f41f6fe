# import nixpkgs { system; … } on the stand-in (flake-utils-plus imports
# its channels so): the lib, the path and a platform, no packages beyond a
# few named ones.
{ system ? null, localSystem ? { inherit system; }, overlays ? [ ], config ? { }, ... }:
let
  lib = (import ./flake.nix).outputs { self = { }; };
  sys = if system != null then system else localSystem.system or null;
  drv = n: { type = "derivation"; name = n; pname = n; outPath = "/nix/store/00000000000000000000000000000000-${n}"; };
in
{
  lib = lib.lib;
  path = ./.;
  inherit system;
  stdenv.hostPlatform.system = sys;
  nix = drv "nix";
  nixVersions.latest = drv "nix";
}
