{
  programs.ssh.knownHosts = builtins.mapAttrs (name: key: { publicKey = key; }) (import ../keys.nix).hosts;
  services.openssh.enable = true;
  system.stateVersion = "24.05";
}
