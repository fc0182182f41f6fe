{ config, lib, pkgs, fleet, ... }:
{
  # Generated on the machine, not in the repository; and one in $HOME.
  imports = [ /etc/nixos/hardware-configuration.nix ./builders.nix ~/.config/nixos/secrets.nix ];

  nixpkgs.hostPlatform = "aarch64-linux";
  system.stateVersion = "24.11";
}
