{ ... }:
{
  nixpkgs.hostPlatform = "aarch64-linux";
  nix.distributedBuilds = true;
  nix.settings.builders-use-substitutes = true;
  nix.buildMachines = [
    { hostName = "hub"; systems = [ "x86_64-linux" "aarch64-linux" ]; maxJobs = 4; }
  ];
}
