{ ... }:
{
  networking.hostName = "pi2";
  system.stateVersion = "24.11";
}
