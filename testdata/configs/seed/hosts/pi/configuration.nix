{ config, pkgs, lib, ... }:

{
  imports = [ ./hardware-configuration.nix ];

  networking.hostName = "pi";

  nix.distributedBuilds = true;
  nix.settings.max-jobs = 0;
  nix.buildMachines = [
    {
      hostName = "ritchie";
      systems = [ "x86_64-linux" "aarch64-linux" ];
      sshUser = "root";
      sshKey = "/root/.ssh/id_builder";
      maxJobs = 4;
      speedFactor = 2;
      supportedFeatures = [ "nixos-test" "benchmark" "big-parallel" ];
    }
  ];

  services.openssh.enable = true;
  system.stateVersion = "24.05";
}
