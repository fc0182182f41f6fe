{ ... }:
{
  networking.hostName = "pi";
}
