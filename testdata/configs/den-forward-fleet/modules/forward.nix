{ lib, den, ... }:
let
  # Every aspect a host lists, its own class and os, into the host.
  toHost =
    { host }:
    den._.forward {
      each = lib.cartesianProduct {
        aspect = host.aspects;
        class = [
          host.class
          "os"
        ];
      };
      fromClass = it: it.class;
      intoClass = it: it.class;
      intoPath = _: [ ];
      fromAspect = it: den.lib.parametric.fixedTo { inherit host; } it.aspect;
    };

  # The user class of the same aspects, into each user of the host.
  toUsers =
    { host, user }:
    den._.forward {
      each = host.aspects;
      fromClass = _: "user";
      intoClass = _: host.class;
      intoPath = _: [
        "users"
        "users"
        user.userName
      ];
      fromAspect = it: den.lib.parametric.fixedTo { inherit host user; } it;
    };
in
{
  den.ctx.host.includes = [ toHost ];
  den.ctx.user.includes = [ toUsers ];

  # A helper of the fleet's own in den.lib: an aspect for NixOS hosts only.
  den.lib.nixosOnly = aspect: den.lib.take.upTo ({ host }: if host.class == "nixos" then aspect else { });
}
