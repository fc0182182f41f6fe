{ lib, ... }:
with lib;
{
  networking.hostName = "pi";
  boot.loader.generic-extlinux-compatible.enable = mkDefault true;
}
