{ ... }:
{
  networking.hostName = "pi";
  nix.distributedBuilds = true;
  nix.settings.builders-use-substitutes = true;
  # A Raspberry Pi 4 runs 32-bit ARM natively: advice only.
  nix.settings.extra-platforms = [ "armv7l-linux" ];
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
}
