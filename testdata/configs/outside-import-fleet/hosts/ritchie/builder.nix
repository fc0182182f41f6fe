{ config, lib, pkgs, fleet, ... }:
let
  cfg = config.services.openssh;
in
{
  boot.binfmt.emulatedSystems = [ "aarch64-linux" ];

  users.users.${fleet.builderUser} = {
    isSystemUser = true;
    group = fleet.builderUser;
    shell = pkgs.bashInteractive;
    # The key is added by the machine's own /etc/nixos file, which the tree lacks.
    openssh.authorizedKeys.keys = [ ];
  };
  users.groups.${fleet.builderUser} = { };

  nix.settings.trusted-users = lib.mkIf cfg.enable [ "@${fleet.builderUser}" ];
}
