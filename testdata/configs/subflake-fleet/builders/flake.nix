{
  inputs.fleet.url = "path:../";

  outputs = { self, fleet }: {
    nixosConfigurations.forge = fleet.inputs.nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [ ./forge.nix ];
    };
  };
}
