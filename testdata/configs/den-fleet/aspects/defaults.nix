{
  den.default.nixos = {
    system.stateVersion = "25.05";
    boot.loader.grub.enable = false;
    fileSystems."/".device = "/dev/disk/by-label/nixos";
  };
  den.default.includes = [
    ({ host, ... }: { nixos.networking.hostName = host.name; })
  ];
}
