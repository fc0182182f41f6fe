{
  # A fleet split into subflakes of the same tree: the builders are a
  # subflake this flake takes as a path: input, and the CI runner a subflake
  # that takes this flake as its path:../ input. Their hosts are the fleet's.
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.05";
  inputs.builders.url = "path:./builders";

  outputs = { self, nixpkgs, builders, ... }: {
    nixosModules.client = ./client.nix;
    nixosConfigurations.desk = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [ self.nixosModules.client { networking.hostName = "desk"; } ];
    };
  };
}
