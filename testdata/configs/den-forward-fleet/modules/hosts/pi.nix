{ den, ... }:
{
  den.hosts.aarch64-linux.pi = {
    boot = den.aspects.boot._.extlinux;
    aspects = [
      den.aspects.base
      den.aspects.remote-builds
    ];
  };
}
