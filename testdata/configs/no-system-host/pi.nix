{ nixpkgs.hostPlatform = "aarch64-linux"; networking.hostName = "pi"; nix.distributedBuilds = true; nix.settings.builders-use-substitutes = true;
  nix.buildMachines = [ { hostName = "nuc"; systems = [ "x86_64-linux" "aarch64-linux" ]; maxJobs = 2; } ]; }
