{ ... }:
{
  networking.hostName = "laptop";
  nix.distributedBuilds = true;
  nix.settings.builders-use-substitutes = true;
  nix.buildMachines = [
    { hostName = "rpi4"; systems = [ "aarch64-linux" ]; maxJobs = 2; }
    { hostName = "nas"; systems = [ "aarch64-linux" "x86_64-linux" ]; maxJobs = 4; }
    { hostName = "router"; systems = [ "x86_64-linux" ]; maxJobs = 2; }
    { hostName = "desktop"; systems = [ "x86_64-linux" ]; maxJobs = 8; }
  ];
}
