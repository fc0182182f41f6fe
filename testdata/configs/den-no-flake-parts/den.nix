{ den, ... }:
{
  den.hosts.aarch64-linux.rpi.users.builder = { };
  den.hosts.x86_64-linux.hub.users.builder = { };

  den.default.nixos.system.stateVersion = "25.05";
  den.default.includes = [ den.provides.hostname ];

  den.aspects.rpi = {
    includes = [
      ({ host, ... }: {
        nixos.nix.buildMachines = [
          {
            hostName = "hub";
            systems = [ "x86_64-linux" host.system ];
            sshUser = "builder";
            sshKey = "/root/.ssh/id_builder";
            maxJobs = 2;
          }
        ];
      })
    ];
    nixos = {
      nix.distributedBuilds = true;
      nix.settings.builders-use-substitutes = true;
    };
  };
}
