{ ... }:
{
  nixpkgs.hostPlatform = "aarch64-darwin";
  nix.distributedBuilds = true;
  nix.buildMachines = [
    {
      hostName = "hub";
      systems = [ "x86_64-linux" ];
      maxJobs = 2;
      sshUser = "root";
    }
  ];
}
