{
  # Values the static reader cannot know must never become findings.
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
  inputs.builders.url = "github:example/builders";

  outputs = { nixpkgs, builders, ... }: {
    nixosConfigurations.pi = nixpkgs.lib.nixosSystem {
      system = "aarch64-linux";
      modules = [ ./hosts/pi.nix builders.nixosModules.default ];
    };
    nixosConfigurations.ritchie = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [ ./hosts/ritchie.nix ];
    };
  };
}
