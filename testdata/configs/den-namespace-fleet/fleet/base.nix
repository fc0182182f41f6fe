{ fleet, ... }:
{
  fleet.base = {
    includes = [ fleet.site ];
    nixos = {
      boot.loader.grub.enable = false;
      fileSystems."/".device = "/dev/disk/by-label/nixos";
    };
  };
}
