{ pkgs, ... }:
{
  networking.hostName = "builder";
  services.openssh.enable = true;
  users.users.nixremote = {
    isNormalUser = true;
    openssh.authorizedKeys.keys = [ "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA9Q2xRyWcFkLq0mN7p3s8tUvW1xYz4bC6dE2fG3hJ5k root@laptop" ];
  };
  nix.settings.trusted-users = [ "@wheel" ];
}
