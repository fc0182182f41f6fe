{
  users.users.builder = {
    isNormalUser = true;
    openssh.authorizedKeys.keys = [ "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGx8lG5bLpM8yEJcFqV2w8sX7s2qg0J6m5QhCzK6c1rE root@clients" ];
  };
  nix.settings.trusted-users = [ "builder" ];
}
