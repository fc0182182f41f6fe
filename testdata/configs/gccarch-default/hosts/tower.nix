{ ... }:
{
  networking.hostName = "tower";
  services.openssh.enable = true;
}
