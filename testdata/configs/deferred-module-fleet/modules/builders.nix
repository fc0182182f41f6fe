{
  # A second definition of the pi's module, in another file.
  configurations.nixos.pi.module = {
    nix.distributedBuilds = true;
    nix.settings.builders-use-substitutes = true;
    nix.buildMachines = [
      {
        hostName = "forge";
        systems = [ "x86_64-linux" "aarch64-linux" ];
        sshUser = "root";
        sshKey = "/root/.ssh/id_builder";
        maxJobs = 4;
      }
    ];
  };
}
