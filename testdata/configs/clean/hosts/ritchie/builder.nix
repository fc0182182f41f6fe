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
    openssh.authorizedKeys.keys = [ fleet.piKey ];
  };
  users.groups.${fleet.builderUser} = { };

  nix.settings.trusted-users = lib.mkIf cfg.enable [ "@${fleet.builderUser}" ];
}
