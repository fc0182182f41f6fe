{ ... }:
{
  nix.distributedBuilds = true;
  nix.settings.builders-use-substitutes = true;
  nix.buildMachines = [
    {
      hostName = "hub";
      systems = [ "x86_64-linux" "aarch64-linux" ];
      maxJobs = 0;
      sshUser = "builder";
    }
  ];
}
