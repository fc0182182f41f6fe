{ ... }:
{
  services.openssh.enable = true;
  nix.settings.trusted-users = [ "nixremote" ];
}
