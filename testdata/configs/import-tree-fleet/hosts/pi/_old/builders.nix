{
  # Left out by import-tree (a directory whose name starts with _).
  nix.buildMachines = [ { hostName = "old-builder"; systems = [ "aarch64-linux" ]; maxJobs = 1; } ];
}
