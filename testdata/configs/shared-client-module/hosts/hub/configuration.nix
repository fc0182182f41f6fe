{ ... }:
{
  networking.hostName = "hub";
  services.openssh.enable = true;
  nix.settings.trusted-users = [ "root" "builder" ];
  users.users.builder = {
    isNormalUser = true;
    openssh.authorizedKeys.keys = [ "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHhubbuilderkeyforthepis0000000000000000000 pi" ];
  };
  system.stateVersion = "24.11";
}
