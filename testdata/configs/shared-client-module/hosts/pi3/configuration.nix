{ ... }:
{
  networking.hostName = "pi3";
  system.stateVersion = "24.11";
}
