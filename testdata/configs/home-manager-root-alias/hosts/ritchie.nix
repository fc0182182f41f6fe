{
  networking.hostName = "ritchie";
  services.openssh.enable = true;
  services.openssh.ports = [ 2222 ];
  networking.interfaces.eth0.ipv4.addresses = [
    { address = "10.0.0.2"; prefixLength = 24; }
  ];
  users.users.nixremote = {
    isNormalUser = true;
    openssh.authorizedKeys.keys = [ "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINqqoO/05cuqvWLJEA7VmVB4uR5dW4B6GJchenjPQwiH root@pi" ];
  };
  system.stateVersion = "24.05";
}
