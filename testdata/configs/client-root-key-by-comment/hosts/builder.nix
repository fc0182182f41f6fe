{
  services.openssh.enable = true;
  users.users.nixremote.isNormalUser = true;
  nix.settings.trusted-users = [ "nixremote" ];
  system.stateVersion = "24.05";
}
