{ ... }:
{
  networking.hostName = "pi";
  nix.distributedBuilds = true;
  nix.settings.builders-use-substitutes = true;
  nix.buildMachines = [
    { hostName = "b1"; systems = [ "x86_64-linux" "aarch64-linux" ]; maxJobs = 4; }
    { hostName = "b2"; systems = [ "x86_64-linux" "aarch64-linux" ]; maxJobs = 4; }
  ];
}
