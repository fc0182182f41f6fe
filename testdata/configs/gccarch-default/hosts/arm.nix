{ ... }:
{
  networking.hostName = "arm";
  services.openssh.enable = true;
}
