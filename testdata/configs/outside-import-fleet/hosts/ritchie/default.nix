{ config, lib, pkgs, fleet, ... }:
{
  imports = [ ./builder.nix ];

  boot.loader.systemd-boot.enable = true;
  users.users.dennis = {
    isNormalUser = true;
    extraGroups = [ "wheel" "networkmanager" ];
  };

  system.stateVersion = "24.11";
}
