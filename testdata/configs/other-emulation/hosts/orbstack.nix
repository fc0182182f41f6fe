# The module OrbStack writes into a NixOS machine (abridged).
{ ... }:
{
  environment.shellInit = ''
    . /opt/orbstack-guest/etc/profile-early
    . /opt/orbstack-guest/etc/profile-late
  '';
  environment.etc."resolv.conf".source = "/opt/orbstack-guest/etc/resolv.conf";
  programs.ssh.extraConfig = ''
    Include /opt/orbstack-guest/etc/ssh_config
  '';
}
