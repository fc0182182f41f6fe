{ ... }:
{
  nix.buildMachines = [
    { hostName = "builder"; systems = [ "x86_64-linux" "aarch64-linux" ]; maxJobs = 4; }
  ];
  nix.settings.builders-use-substitutes = true;
}
