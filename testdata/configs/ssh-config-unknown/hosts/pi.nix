{ config, ... }:
{
  networking.hostName = "pi";
  nix.distributedBuilds = true;
  nix.settings.builders-use-substitutes = true;
  nix.buildMachines = [
    {
      hostName = "ritchie";
      systems = [ "x86_64-linux" ];
    }
  ];
  programs.ssh.extraConfig = ''
    Host ritchie
      User nixremote
      IdentityFile ${config.sops.secrets.builder-key.path}
  '';
  services.openssh.enable = true;
  system.stateVersion = "24.05";
}
