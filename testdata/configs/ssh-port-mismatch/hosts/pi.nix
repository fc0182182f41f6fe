{
  networking.hostName = "pi";
  nix.distributedBuilds = true;
  nix.settings.builders-use-substitutes = true;
  nix.buildMachines = [
    {
      hostName = "ritchie";
      systems = [ "x86_64-linux" ];
      protocol = "ssh-ng";
    }
  ];
  programs.ssh.extraConfig = ''
    Host ritchie
      Port 2222
      User nixremote
  '';
  system.stateVersion = "24.05";
}
