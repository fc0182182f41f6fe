{
  networking.hostName = "pi";
  nix.distributedBuilds = true;
  nix.settings.builders-use-substitutes = true;
  nix.buildMachines = [
    {
      hostName = "cache.example.org";
      systems = [ "x86_64-linux" ];
      protocol = "ssh-ng";
    }
  ];
  services.nginx.enable = true;
  services.nginx.virtualHosts."cache.example.org".root = "/var/www";
  system.stateVersion = "24.05";
}
