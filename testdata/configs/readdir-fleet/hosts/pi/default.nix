{ lib, ... }:
{
  nixpkgs.hostPlatform = "aarch64-linux";
  fleet.remoteBuild.client.enable = true;
}
