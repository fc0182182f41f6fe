{ ... }:
{
  networking.hostName = "pi";
  nix.distributedBuilds = true;
  nix.settings.builders-use-substitutes = true;
  nix.buildMachines = [
    {
      hostName = "ritchie";
      sshUser = "nixremote";
      systems = [ "x86_64-linux" "aarch64-linux" ];
      speedFactor = 1.5;
    }
  ];
}
