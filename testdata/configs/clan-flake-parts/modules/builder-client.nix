{ ... }:
{
  # No builders-use-substitutes here: clan-core's core module sets it.
  nix.distributedBuilds = true;
  nix.buildMachines = [
    {
      hostName = "hub";
      systems = [ "x86_64-linux" "aarch64-linux" ];
      maxJobs = 4;
      sshUser = "root";
    }
  ];
}
