{
  services.openssh.enable = true;
  users.users.nixremote = {
    isNormalUser = true;
    openssh.authorizedKeys.keys = [ "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMSOWrA/FAHFs6+RERe6lJYGrfIOfG7zNSUETPKehC68 root@client" ];
  };
  system.stateVersion = "24.05";
}
