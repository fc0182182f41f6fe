{
  users.users.nixremote = {
    isNormalUser = true;
    openssh.authorizedKeys.keys = [ "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHkKq1nQ4o2Vx2s3mZkF0dYp0PzYtq6bHn3c7uXb9wQe pi" ];
  };
  nix.settings.trusted-users = [ "nixremote" ];
  services.openssh.enable = true;
}
