{ ... }:
{
  networking.hostName = "rpi4";
  services.openssh.enable = true;
}
