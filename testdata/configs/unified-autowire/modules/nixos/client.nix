{
  nix.distributedBuilds = true;
  nix.settings.builders-use-substitutes = true;
  nix.buildMachines = [
    { hostName = "hub"; sshUser = "builder"; systems = [ "x86_64-linux" "aarch64-linux" ]; maxJobs = 4; }
  ];
}
