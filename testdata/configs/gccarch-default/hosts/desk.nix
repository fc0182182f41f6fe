{ ... }:
{
  networking.hostName = "desk";
  nix.distributedBuilds = true;
  nix.settings.builders-use-substitutes = true;
  nix.buildMachines = [
    {
      hostName = "arm";
      sshUser = "root";
      systems = [ "aarch64-linux" ];
      supportedFeatures = [ "big-parallel" "gccarch-armv8-a" ];
    }
    {
      hostName = "tower";
      sshUser = "root";
      systems = [ "x86_64-linux" ];
      supportedFeatures = [ "big-parallel" "gccarch-armv8-a" ];
    }
  ];
}
