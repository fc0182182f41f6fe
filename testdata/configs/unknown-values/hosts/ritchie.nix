{ config, lib, pkgs, ... }:
{
  # Emulation under a condition the reader cannot decide.
  boot.binfmt.emulatedSystems = lib.mkIf (pkgs.stdenv.hostPlatform.isx86_64 && config.hardware.cpu.intel.updateMicrocode) [ "aarch64-linux" ];
  nix.settings.trusted-users = [ "root" ] ++ config.my.extraTrusted;
}
