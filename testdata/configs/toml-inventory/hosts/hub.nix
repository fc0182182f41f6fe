{ ... }:
{
  networking.hostName = "hub";
}
