{ ... }:
{
  networking.hostName = "desk";
  nix.distributedBuilds = true;
  nix.buildMachines = [{
    hostName = "gpubox";
    sshUser = "root";
    systems = [ "x86_64-linux" ];
    supportedFeatures = [ "big-parallel" "kvm" "nixos-test" ];
    mandatoryFeatures = [ ];
  }];
}
