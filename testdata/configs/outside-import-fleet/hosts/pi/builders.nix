{ fleet, ... }:
{
  nix = {
    distributedBuilds = true;
    settings.builders-use-substitutes = true;
    buildMachines = [
      {
        hostName = "ritchie";
        sshUser = fleet.builderUser;
        sshKey = "/root/.ssh/nixremote";
        protocol = "ssh-ng";
        systems = [ "x86_64-linux" "aarch64-linux" ];
        maxJobs = 8;
        speedFactor = 1.5;
        supportedFeatures = [ "nixos-test" "benchmark" "big-parallel" "kvm" ];
      }
    ];
  };
}
