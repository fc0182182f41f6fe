{ ... }:
{
  networking.hostName = "desktop";
  services.openssh.enable = true;
}
