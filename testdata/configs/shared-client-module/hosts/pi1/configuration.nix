{ ... }:
{
  networking.hostName = "pi1";
  system.stateVersion = "24.11";
}
