{
  inputs.fleet.url = "path:../";

  outputs = { self, fleet }: {
    nixosConfigurations.runner = fleet.inputs.nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [ fleet.nixosModules.client { networking.hostName = "runner"; } ];
    };
  };
}
