{ den, ... }:
{
  # The builder user of every host, made by den's define-user battery;
  # trusted and its key authorized on the hub by the hub's aspect.
  den.aspects.builder.includes = [ den.provides.define-user ];
  den.aspects.hub.nixos = {
    services.openssh.enable = true;
    nix.settings.trusted-users = [ "builder" ];
    users.users.builder.openssh.authorizedKeys.keys = [
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOQ3w2bN1n5lJx1W0n2o9q8H3m4Yk6Z7a8b9c0d1e2f3 root@rpi"
    ];
  };
}
