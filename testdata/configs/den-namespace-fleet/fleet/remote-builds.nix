{
  fleet.remote-builds = {
    nixos = {
      nix.distributedBuilds = true;
      nix.settings.builders-use-substitutes = true;
    };
    # A provider of the aspect (fleet.remote-builds._.to-ritchie), a
    # function of the host it is included in.
    provides.to-ritchie = { host, ... }: {
      nixos.nix.buildMachines = [
        {
          hostName = "ritchie";
          systems = [ "x86_64-linux" host.system ];
          sshUser = "nixremote";
          sshKey = "/root/.ssh/id_builder";
          protocol = "ssh-ng";
          maxJobs = 4;
        }
      ];
    };
  };
}
