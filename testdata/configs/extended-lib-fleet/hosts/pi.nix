{ lib, ... }:
{
  networking.hostName = "pi";
  nix.distributedBuilds = true;
  nix.settings.builders-use-substitutes = true;
  nix.buildMachines = [
    {
      hostName = "ritchie";
      system = "x86_64-linux";
      sshUser = lib.my.builderUser;
      sshKey = "/root/.ssh/id_builder";
      supportedFeatures = [ "big-parallel" ];
    }
  ];
  system.stateVersion = "24.05";
}
