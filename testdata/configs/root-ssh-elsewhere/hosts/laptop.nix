{ pkgs, ... }:
{
  networking.hostName = "laptop";
  nix.package = pkgs.nixVersions.latest;
  nix.distributedBuilds = true;
  nix.settings.builders-use-substitutes = true;
  nix.buildMachines = [
    { hostName = "orb"; systems = [ "aarch64-linux" ]; }
    { hostName = "nixbuilder"; systems = [ "x86_64-linux" ]; }
    { hostName = "builder.example.org:2222"; systems = [ "x86_64-linux" ]; }
  ];
  home-manager.users.root.programs.ssh.settings = {
    "*".ServerAliveInterval = 30;
    orb = {
      HostName = "127.0.0.1";
      Port = 32222;
      User = "default";
    };
  };
}
