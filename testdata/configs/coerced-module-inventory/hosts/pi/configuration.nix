{
  networking.hostName = "pi";
  nix.distributedBuilds = true;
  nix.buildMachines = [
    {
      hostName = "ritchie";
      sshUser = "nixremote";
      systems = [ "x86_64-linux" "aarch64-linux" "riscv64-linux" ];
      maxJobs = 4;
    }
  ];
}
