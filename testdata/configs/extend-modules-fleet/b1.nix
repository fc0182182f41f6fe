{ ... }:
{
  networking.hostName = "b1";
  boot.binfmt.emulatedSystems = [ "aarch64-linux" ];
}
