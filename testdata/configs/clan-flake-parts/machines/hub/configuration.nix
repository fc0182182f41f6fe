{ ... }:
{
  services.openssh.enable = true;
  nix.settings.trusted-users = [ "root" ];
}
