{
  users.users.nixremote = {
    isNormalUser = true;
    openssh.authorizedKeys.keys = [ "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINqqoO/05cuqvWLJEA7VmVB4uR5dW4B6GJchenjPQwiH root@pi" ];
  };
  nix.settings.trusted-users = [ "nixremote" ];
}
