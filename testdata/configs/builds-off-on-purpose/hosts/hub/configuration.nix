{ lib, ... }:
{
  networking.hostName = "hub";
  # The builder builds for itself: the shared client list is not for it.
  nix.distributedBuilds = lib.mkForce false;
  services.openssh.enable = true;
  boot.binfmt.emulatedSystems = [ "aarch64-linux" ];
  nix.settings.trusted-users = [ "root" "builder" ];
  users.users.builder = {
    isNormalUser = true;
    openssh.authorizedKeys.keys = [ "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHhubbuilderkeyforthepis0000000000000000000 pi" ];
  };
  system.stateVersion = "24.11";
}
