{
  networking.hostName = "ci";
  home-manager.users.root = {
    home.stateVersion = "24.05";
    home.file.".ssh/known_hosts".text = ''
      ritchie ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIjevqqO+TRNziu6cE5fuNj+aIQegfP4eOr9rt0hR0vz root@ritchie
      big,10.0.0.2 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIjevqqO+TRNziu6cE5fuNj+aIQegfP4eOr9rt0hR0vz root@ritchie
    '';
  };
}
