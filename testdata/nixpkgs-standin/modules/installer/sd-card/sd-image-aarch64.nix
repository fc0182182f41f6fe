# The stand-in NixOS's SD card image: it declares sdImage as nixpkgs'
# sd-image.nix does (nixbuild-lint tells an image by it); it defines
# nothing else nixbuild-lint reads.
{ lib, ... }:
{
  options.sdImage.imageName = lib.mkOption { type = lib.types.str; default = "nixos-sd-image.img"; };
}
