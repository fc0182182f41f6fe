{
  networking.hostName = "pi";
  nix.distributedBuilds = true;
  nix.settings.builders-use-substitutes = true;
  nix.buildMachines = [
    {
      # No sshUser: the alias below says who logs in.
      hostName = "big";
      systems = [ "x86_64-linux" ];
      sshKey = "/root/.ssh/id_builder";
    }
  ];
  programs.ssh.extraConfig = ''
    Host big
      HostName ritchie
      User nixremote
  '';
  services.openssh.enable = true;
  system.stateVersion = "24.05";
}
