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
    # No host of the flake: root's alias may be in the unreadable text.
    {
      hostName = "mac02";
      systems = [ "aarch64-darwin" ];
    }
  ];
  programs.ssh.extraConfig = ''
    Host ritchie
      User nixremote
      IdentityFile ${config.sops.secrets.builder-key.path}
    Host mac02
      HostName mac02.example.org
  '';
  services.openssh.enable = true;
  system.stateVersion = "24.05";
}
