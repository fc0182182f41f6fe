{
  networking.hostName = "pi";
  nix.distributedBuilds = true;
  nix.settings.builders-use-substitutes = true;
  programs.ssh.knownHosts.ritchie.publicKeyFile = ../keys/ritchie-host.pub;
  nix.buildMachines = [
    {
      hostName = "ritchie";
      sshUser = "nixremote";
      systems = [ "x86_64-linux" ];
    }
    {
      hostName = "big";
      sshUser = "nixremote";
      systems = [ "x86_64-linux" ];
    }
  ];
  system.stateVersion = "24.05";
}
