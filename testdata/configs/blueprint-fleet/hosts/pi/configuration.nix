{ flake, hostName, ... }:
{
  imports = [ flake.nixosModules.remote-builders ];
  nixpkgs.hostPlatform = "aarch64-linux";
  networking.hostName = hostName;
}
