{ config, lib, pkgs, fleet, ... }:
let
  builder = "ritchie";
in
{
  imports = [ ./hardware-configuration.nix ];

  nix = {
    distributedBuilds = true;
    settings = {
      # nixbuild-lint: ignore max-jobs-zero-blocks-local -- the Pi must never build; ritchie is always on
      max-jobs = 0;
      builders-use-substitutes = true;
    };
    buildMachines = [
      {
        hostName = builder;
        sshUser = fleet.builderUser;
        sshKey = "/root/.ssh/nixremote";
        protocol = "ssh-ng";
        systems = [ "x86_64-linux" "aarch64-linux" ];
        maxJobs = 8;
        speedFactor = 4;
        supportedFeatures = [ "nixos-test" "benchmark" "big-parallel" "kvm" ];
      }
    ];
  };

  system.stateVersion = "24.11";
}
