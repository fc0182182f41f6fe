{ pkgs, ... }:
{
  nix = {
    settings.trusted-users = [ "root" ];
    gc.automatic = true;
  };
  services.openssh.enable = true;
}
