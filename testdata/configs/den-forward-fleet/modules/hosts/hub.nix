{ den, ... }:
{
  den.hosts.x86_64-linux.hub = {
    users.builder = { };
    aspects = [
      den.aspects.base
      den.aspects.builder-host
      { nixos.boot.binfmt.emulatedSystems = [ "aarch64-linux" ]; }
    ];
  };
}
