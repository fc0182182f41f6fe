# The stand-in NixOS's installer ISO: it declares isoImage as nixpkgs'
# iso-image.nix does (nixbuild-lint tells an image by it); it defines
# nothing else nixbuild-lint reads.
{ lib, ... }:
{
  options.isoImage.isoName = lib.mkOption { type = lib.types.str; default = "nixos.iso"; };
}
