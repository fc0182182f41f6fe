{ lib, ... }:
{
  nixpkgs.hostPlatform = "aarch64-linux";
  networking.hostName = "pi";

  nix.buildMachines = [
    {
      hostName = "ritchie";
      systems = [ "x86_64-linux" "aarch64-linux" ];
      maxJobs = 2;
    }
  ];
}
