{
  imports = [ ./ssh.nix ];
  boot.binfmt.emulatedSystems = [ "aarch64-linux" ];
}
