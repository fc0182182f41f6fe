{ lib, ... }:
{
  services.openssh.enable = lib.mkDefault true;
  nix.settings.experimental-features = [ "nix-command" "flakes" ];
  time.timeZone = "Europe/Berlin";
}
