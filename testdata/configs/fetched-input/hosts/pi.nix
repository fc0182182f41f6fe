{
  networking.hostName = "pi";
  nix.distributedBuilds = true;
  nix.settings.builders-use-substitutes = true;
  nix.buildMachines = [
    {
      hostName = "ritchie";
      # aarch64-linux for this Pi, armv7l-linux for the older Pi it builds for.
      systems = [ "x86_64-linux" "aarch64-linux" "armv7l-linux" ];
      sshKey = "/root/.ssh/id_builder";
    }
  ];
  services.openssh.enable = true;
  system.stateVersion = "24.05";
}
