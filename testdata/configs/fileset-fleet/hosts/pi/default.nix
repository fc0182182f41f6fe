{
  networking.hostName = "pi";
  nixpkgs.hostPlatform = "aarch64-linux";
  nix.distributedBuilds = true;
  nix.settings.builders-use-substitutes = true;
  nix.buildMachines = [
    {
      hostName = "ritchie";
      sshUser = "nixremote";
      systems = [ "x86_64-linux" "aarch64-linux" ];
      speedFactor = 1.5;
    }
  ];
}
