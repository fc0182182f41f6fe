{ ... }:
{
  # One file per emulated system under ./emulate.
  boot.binfmt.emulatedSystems = builtins.attrNames (builtins.readDir "${./emulate}");
  services.openssh.enable = true;
  nix.settings.trusted-users = [ "root" ];
}
