{ lib, ... }:
{
  networking.hostName = "pi";
  fleet.distributed = true;
  fleet.jobs = 0;
  fleet.builders = [
    {
      hostName = "hub";
      sshUser = "nixremote";
      systems = [ "aarch64-linux" "armv7l-linux" ];
      supportedFeatures = [ "big-parallel" ];
    }
  ];
  nix.settings.builders-use-substitutes = true;
  fileSystems."/".device = "/dev/disk/by-label/NIXOS_SD";
}
