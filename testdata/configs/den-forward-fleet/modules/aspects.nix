{ den, ... }:
{
  den.aspects.base = {
    nixos.system.stateVersion = "25.05";
    os.nix.settings.trusted-users = [ "@wheel" ];
    includes = [ den.provides.hostname ];
  };

  den.aspects.remote-builds.includes = [
    (
      { host, ... }:
      {
        nixos.nix = {
          distributedBuilds = true;
          buildMachines = [
            {
              hostName = "hub";
              systems = [
                "x86_64-linux"
                host.system
              ];
              sshUser = "builder";
              sshKey = "/root/.ssh/id_builder";
              maxJobs = 4;
            }
          ];
        };
      }
    )
  ];

  den.aspects.builder-host = {
    nixos = {
      services.openssh.enable = true;
      nix.settings.trusted-users = [ "builder" ];
    };
    user.openssh.authorizedKeys.keys = [
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOQ3w2bN1n5lJx1W0n2o9q8H3m4Yk6Z7a8b9c0d1e2f3 root@pi"
    ];
    includes = [
      (den.lib.nixosOnly {
        nixos.nix.settings.system-features = [ "big-parallel" ];
      })
    ];
  };
}
