{ pkgs, ... }:
{
  networking.hostName = "ritchie";
  users.users.nixremote = {
    isSystemUser = true;
    group = "nixremote";
    shell = pkgs.bashInteractive;
    openssh.authorizedKeys.keys = [ "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG8YbGZp1r0oQ7y5j1mJt3kK0c7wq2rXo9bB1uJxVv4Q root@pi" ];
  };
  users.groups.nixremote = { };
  services.nginx.virtualHosts.localhost.locations."/".return = "204";
}
