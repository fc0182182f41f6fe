{ lib, ... }:
{
  nixpkgs.hostPlatform = lib.mkDefault "x86_64-linux";
  fleet.remoteBuild.builder.enable = true;
  boot.binfmt.emulatedSystems = [ "aarch64-linux" "riscv64-linux" ];
}
