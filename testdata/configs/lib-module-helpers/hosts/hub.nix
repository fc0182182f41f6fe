{ lib, ... }:
{
  networking.hostName = "hub";
  fleet.sshd = "on";
  fleet.emulate = [ "aarch64-linux" ];
  # Forwarded with its priority: mkForce beats the default of trusted-users.
  fleet.trusted = lib.mkForce [ "root" "@wheel" ];
  boot.loader.grub.devices = [ "/dev/sda" ];
  fileSystems."/".device = "/dev/sda1";
}
