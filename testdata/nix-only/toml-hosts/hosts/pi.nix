{ ... }:
{
  nix.distributedBuilds = true;
  nix.settings.max-jobs = 0;
  nix.buildMachines = [
    {
      hostName = "ritchie";
      systems = [ "x86_64-linux" "aarch64-linux" ];
      maxJobs = 4;
    }
  ];
}
