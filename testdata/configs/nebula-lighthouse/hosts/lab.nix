{
  services.nebula.networks.lab = {
    enable = true;
    lighthouses = [ "10.43.0.1" "10.43.0.2" ];
  };
}
