{ den, fleet, __findFile, ... }:
{
  den.hosts.aarch64-linux.pi = { };
  den.hosts.x86_64-linux.ritchie = { };

  # den's angle brackets: <den/hostname> is the battery den.provides.hostname,
  # <fleet/…> an aspect of the fleet namespace.
  _module.args.__findFile = den.lib.__findFile;

  den.default.includes = [ fleet.base <den/hostname> ];

  den.aspects.pi = {
    includes = [ fleet.remote-builds <fleet/remote-builds/to-ritchie> ];
    nixos.nix.settings.max-jobs = 1;
  };
  den.aspects.ritchie.includes = [ den.ful.fleet.builder ];
}
