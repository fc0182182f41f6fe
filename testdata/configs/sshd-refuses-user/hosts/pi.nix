{
  networking.hostName = "pi";
  nix.distributedBuilds = true;
  nix.settings.builders-use-substitutes = true;
  nix.buildMachines = [
    {
      hostName = "nixremote@ritchie";
      systems = [ "x86_64-linux" ];
      protocol = "ssh-ng";
    }
  ];

  system.stateVersion = "24.05";
}
