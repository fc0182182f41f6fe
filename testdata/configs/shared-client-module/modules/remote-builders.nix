{ ... }:
{
  nix.distributedBuilds = true;
  nix.buildMachines = [
    {
      hostName = "hub";
      systems = [ "x86_64-linux" "aarch64-linux" ];
      maxJobs = 4;
      sshUser = "builder";
    }
  ];
  nix.settings.max-jobs = 0;
}
