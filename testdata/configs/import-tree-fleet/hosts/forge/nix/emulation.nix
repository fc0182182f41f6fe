{
  boot.binfmt.emulatedSystems = [ "aarch64-linux" ];
}
