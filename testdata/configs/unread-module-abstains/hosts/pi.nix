{
  networking.hostName = "pi";
  nix.distributedBuilds = true;
  nix.settings.builders-use-substitutes = true;
  nix.buildMachines = [
    {
      hostName = "ritchie";
      systems = [ "x86_64-linux" "aarch64-linux" ];
      sshKey = "/root/.ssh/id_builder";
    }
  ];
  services.openssh.enable = true;
  system.stateVersion = "24.05";
}
