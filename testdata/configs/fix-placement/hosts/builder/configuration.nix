{ config, pkgs, ... }:

{
  networking.hostName = "builder";
  services.openssh.enable = true;
  nix.settings.trusted-users = [ "root" ];

  system.stateVersion = "22.11"; # Did you read the comment?
}
