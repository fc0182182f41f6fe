# A Mac sending Linux builds to hub, claiming a feature hub lacks.
{ flake, ... }:
{
  imports = [ flake.self.darwinModules.linux-builds ];

  nixpkgs.hostPlatform = "aarch64-darwin";
  networking.hostName = "mac";
}
