{ ... }:
{
  networking.hostName = "nas";
  services.openssh.enable = true;
}
