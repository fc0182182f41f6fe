{ ... }:
{
  nix.distributedBuilds = true;
  nix.settings.max-jobs = 0;
  nix.buildMachines = [
    {
      hostName = "ritchie";
      system = "x86_64-linux";
      maxJobs = 4;
    }
  ];
}
