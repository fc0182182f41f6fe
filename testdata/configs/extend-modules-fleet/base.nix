{ ... }:
{
  services.openssh.enable = true;
  users.users.root.openssh.authorizedKeys.keys = [ "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBaseImageRootKeyForThePiBuilds000000000000 root@pi" ];
  system.stateVersion = "24.11";
}
