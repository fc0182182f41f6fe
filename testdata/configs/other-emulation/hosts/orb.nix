{ ... }:
{
  networking.hostName = "orb";
  services.openssh.enable = true;
  nix.settings.extra-platforms = [ "x86_64-linux" ];
}
