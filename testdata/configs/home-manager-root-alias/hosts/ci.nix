{
  networking.hostName = "ci";
  nix.distributedBuilds = true;
  nix.settings.builders-use-substitutes = true;
  nix.buildMachines = [
    {
      hostName = "builder";
      systems = [ "x86_64-linux" ];
      protocol = "ssh-ng";
    }
  ];
  home-manager.users.root = import ./root-home.nix;
  system.stateVersion = "24.05";
}
