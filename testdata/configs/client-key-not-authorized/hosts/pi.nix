{
  networking.hostName = "pi";
  nix.distributedBuilds = true;
  nix.buildMachines = [
    {
      hostName = "ritchie";
      sshUser = "nixremote";
      sshKey = "/etc/ssh/ssh_host_ed25519_key";
      protocol = "ssh-ng";
      systems = [ "x86_64-linux" ];
    }
  ];
  system.stateVersion = "24.05";
}
