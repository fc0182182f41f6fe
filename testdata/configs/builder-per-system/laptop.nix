{ ... }:
{
  networking.hostName = "laptop";
  nix.distributedBuilds = true;
  nix.settings.builders-use-substitutes = true;
  nix.buildMachines = [
    { hostName = "ritchie"; systems = [ "x86_64-linux" ]; supportedFeatures = [ "kvm" "big-parallel" ]; maxJobs = 16; }
    { hostName = "ritchie"; systems = [ "aarch64-linux" ]; maxJobs = 2; }
    { hostName = "ritchie"; systems = [ "x86_64-linux" ]; supportedFeatures = [ "big-parallel" ]; mandatoryFeatures = [ "big-parallel" ]; maxJobs = 1; }
    { hostName = "eu.nixbuild.net"; system = "x86_64-linux"; maxJobs = 100; supportedFeatures = [ "benchmark" "big-parallel" ]; }
    # Written again by another module: the same store URI, whose slots Nix
    # shares (its slot locks are per URI), so not counted twice.
    { hostName = "ritchie"; systems = [ "x86_64-linux" "aarch64-linux" ]; maxJobs = 2; }
    { hostName = "eu.nixbuild.net"; system = "aarch64-linux"; maxJobs = 100; supportedFeatures = [ "benchmark" "big-parallel" ]; }
  ];
}
