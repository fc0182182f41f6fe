{ lib, ... }:
{
  nixpkgs.hostPlatform.system = "x86_64-linux";
  fleet.remoteBuild.client.enable = true;
}
