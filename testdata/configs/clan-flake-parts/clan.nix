{ self, inputs, ... }:
{
  clan = {
    inherit self;
    meta.name = "home";
    specialArgs = { inherit inputs; };

    inventory.machines.pi.tags = [ "edge" ];

    inventory.instances = {
      # clan-core's importer service defines nothing but its extraModules.
      remote-builds = {
        module.name = "importer";
        roles.default.tags.edge = { };
        roles.default.extraModules = [ ./modules/builder-client.nix ];
      };
    };

    # A machine without a directory.
    machines.relay = {
      nixpkgs.hostPlatform = "x86_64-linux";
      services.openssh.enable = true;
    };
  };
}
