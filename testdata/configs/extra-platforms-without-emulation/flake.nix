{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
  inputs.nix-darwin.url = "github:nix-darwin/nix-darwin";

  outputs = { nixpkgs, nix-darwin, ... }: {
    # An Intel Mac claiming Apple silicon's platform: nothing can run it there.
    darwinConfigurations.mini = nix-darwin.lib.darwinSystem {
      system = "x86_64-darwin";
      modules = [ ./mini.nix ];
    };
    nixosConfigurations.pi = nixpkgs.lib.nixosSystem {
      system = "aarch64-linux";
      modules = [ ./pi.nix ];
    };
    nixosConfigurations.ritchie = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [ ./ritchie.nix ];
    };
  };
}
