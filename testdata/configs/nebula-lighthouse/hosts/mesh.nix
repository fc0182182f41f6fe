{ config, lib, ... }:
{
  services.nebula.networks.mesh = {
    enable = true;
    isLighthouse = lib.mkDefault false;
    lighthouses = lib.mkIf (!config.services.nebula.networks.mesh.isLighthouse) [ "10.42.0.1" ];
    staticHostMap."10.42.0.1" = [ "203.0.113.7:4242" "[2001:db8::7]:4242" ];
    cert = "/etc/nebula/host.crt";
    key = "/etc/nebula/host.key";
    ca = "/etc/nebula/ca.crt";
  };
}
