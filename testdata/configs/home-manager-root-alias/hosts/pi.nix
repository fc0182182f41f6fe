{
  networking.hostName = "pi";
  nix.distributedBuilds = true;
  nix.settings.builders-use-substitutes = true;
  nix.buildMachines = [
    {
      hostName = "builder";
      systems = [ "x86_64-linux" ];
      protocol = "ssh-ng";
    }
  ];
  home-manager.users.root.programs.ssh.matchBlocks.builder = {
    hostname = "10.0.0.2";
    port = 2222;
    user = "nixremote";
  };
  system.stateVersion = "24.05";
}
