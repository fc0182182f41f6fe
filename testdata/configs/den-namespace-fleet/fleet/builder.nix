{
  # The builder's aspect: it lets nixremote log in, but trusts only
  # @wheel, which nixremote is not in.
  fleet.builder.nixos = {
    services.openssh.enable = true;
    nix.settings.trusted-users = [ "@wheel" ];
    users.users.nixremote = {
      isNormalUser = true;
      openssh.authorizedKeys.keys = [
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOQ3w2bN1n5lJx1W0n2o9q8H3m4Yk6Z7a8b9c0d1e2f3 root@pi"
      ];
    };
  };
}
