{ config, lib, ... }:
let
  user = config.fleet.builderUser;
in
{
  networking.hostName = "hub";
  services.openssh.enable = true;
  # The builder user is not trusted: unsigned inputs from pi are refused.
  nix.settings.trusted-users = [ "root" ];
  users.users.${user} = {
    isNormalUser = true;
    openssh.authorizedKeys.keys = [ "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFleetBuilderKeyForTheRaspberryPi00000000 root@pi" ];
  };
  users.users.alice = lib.mkMerge [ { isNormalUser = true; } { extraGroups = [ "wheel" ]; } ];
  system.stateVersion = "24.11";
}
