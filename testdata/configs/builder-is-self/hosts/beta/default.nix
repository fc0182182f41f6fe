{ ... }:
{
  services.openssh.enable = true;
  boot.loader.grub.device = "/dev/sda";
}
