{ ... }:
{
  networking.hostName = "laptop";
  nix.distributedBuilds = true;
  nix.settings.builders-use-substitutes = true;
  nix.buildMachines = [
    { hostName = "utm"; systems = [ "aarch64-linux" "x86_64-linux" ]; maxJobs = 4; }
    { hostName = "qemu-box"; systems = [ "x86_64-linux" "aarch64-linux" ]; maxJobs = 8; }
    { hostName = "orb"; systems = [ "aarch64-linux" "x86_64-linux" ]; maxJobs = 4; }
  ];
}
