{ lib, den, ... }:
{
  # A host attribute of the fleet's own, declared in den's schema with a
  # default: the aspect that boots the host, included once per host.
  den.schema.host.options.boot = lib.mkOption {
    default = den.aspects.boot._.systemd;
  };

  den.aspects.base.includes = [ (den.lib.perHost ({ host }: host.boot)) ];

  den.aspects.boot._.systemd.nixos.boot.loader.systemd-boot.enable = true;
  den.aspects.boot._.extlinux.nixos.boot.loader.generic-extlinux-compatible.enable = true;
}
