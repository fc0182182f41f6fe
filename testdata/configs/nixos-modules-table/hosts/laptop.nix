{
  networking.hostName = "laptop";
  nix.distributedBuilds = true;
  nix.buildMachines = [
    {
      hostName = "pi";
      sshUser = "builder";
      systems = [ "aarch64-linux" "x86_64-linux" ];
    }
    {
      hostName = "box";
      systems = [ "x86_64-linux" ];
    }
  ];
}
