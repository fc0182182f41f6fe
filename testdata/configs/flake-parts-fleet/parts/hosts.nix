{ inputs, self, config, lib, ... }:
{
  flake.nixosConfigurations = lib.mapAttrs
    (name: host: inputs.nixpkgs.lib.nixosSystem {
      system = host.system;
      modules = [
        ../hosts/${name}/configuration.nix
        { networking.hostName = host.hostName; }
        self.nixosModules.common
      ];
    })
    config.fleet;
}
