{
  den.aspects.remote-builds.nixos = {
    nix.distributedBuilds = true;
    nix.settings.builders-use-substitutes = true;
    nix.buildMachines = [
      {
        hostName = "ritchie";
        systems = [ "x86_64-linux" "aarch64-linux" ];
        sshUser = "nixremote";
        sshKey = "/root/.ssh/id_builder";
        maxJobs = 4;
      }
    ];
  };
}
