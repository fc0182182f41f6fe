{ self, lib, ... }:
{
  options.aspects = lib.mkOption {
    type = lib.types.lazyAttrsOf (lib.types.submodule ({ name, ... }: {
      options = self.lib.modules.aspectOptions // { name = lib.mkOption { default = name; }; };
    }));
    default = { };
  };
  config.aspects = {
    # No requires, no nixos: both are their defaults.
    base = { };
    ssh.nixos = { services.openssh.enable = true; };
    builder = {
      requires = [ "ssh" ];
      nixos = { pkgs, ... }: {
        users.users.nixremote = {
          isSystemUser = true;
          group = "nixremote";
          shell = pkgs.bashInteractive;
          openssh.authorizedKeys.keys = [ "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG8YbGZp1r0oQ7y5j1mJt3kK0c7wq2rXo9bB1uJxVv4Q root@pi" ];
        };
        users.groups.nixremote = { };
      };
    };
    client.nixos = {
      nix.distributedBuilds = true;
      nix.settings.builders-use-substitutes = true;
      nix.buildMachines = [
        {
          hostName = "ritchie";
          sshUser = "nixremote";
          sshKey = "/root/.ssh/nixremote";
          protocol = "ssh-ng";
          systems = [ "x86_64-linux" ];
          maxJobs = 4;
        }
      ];
    };
  };
}
