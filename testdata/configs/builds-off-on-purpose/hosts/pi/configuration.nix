{ ... }:
{
  networking.hostName = "pi";
  system.stateVersion = "24.11";
}
