{ pkgs, ... }:
{
  networking.hostName = "ritchie";
  services.openssh.enable = true;
  boot.binfmt.emulatedSystems = [ "aarch64-linux" ];
  users.users.nixremote = {
    isNormalUser = true;
  };
  nix.settings.trusted-users = [ "nixremote" ];
}
