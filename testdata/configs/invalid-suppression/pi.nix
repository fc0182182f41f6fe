{ ... }:
{
  networking.hostName = "pi";
  nix.distributedBuilds = true;
  nix.settings.builders-use-substitutes = true;
  nix.buildMachines = [
    {
      hostName = "ritchie";
      sshUser = "nixremote";
      sshKey = "/root/.ssh/nixremote";
      protocol = "ssh-ng";
      systems = [ "x86_64-linux" "aarch64-linux" ];
      maxJobs = 4;
      speedFactor = 2;
      supportedFeatures = [ "big-parallel" "benchmark" ];
    }
  ];
  nix.settings.max-jobs = 0; # nixbuild-lint: ignore max-jobs-zero-blocks-local
}
