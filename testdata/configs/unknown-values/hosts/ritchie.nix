{ config, lib, pkgs, ... }:
{
  services.openssh.enable = true;
  users.users.nixremote = {
    isNormalUser = true;
    openssh.authorizedKeys.keys = config.my.builderKeys;
  };
  # Emulation under a condition the reader cannot decide.
  boot.binfmt.emulatedSystems = lib.mkIf (pkgs.stdenv.hostPlatform.isx86_64 && config.hardware.cpu.intel.updateMicrocode) [ "aarch64-linux" ];
  nix.settings.trusted-users = [ "root" ] ++ config.my.extraTrusted;
}
