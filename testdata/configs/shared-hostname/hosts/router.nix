{ ... }:
{
  networking.hostName = "router";
  # no services.openssh.enable: the build machine "router" cannot log in
}
