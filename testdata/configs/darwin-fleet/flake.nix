{
  # A MacBook (nix-darwin) that builds Linux in its linux-builder VM and on
  # ritchie, plus ritchie itself.
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixpkgs-unstable";
    nix-darwin.url = "github:nix-darwin/nix-darwin";
  };

  outputs = { self, nixpkgs, nix-darwin, ... }: {
    darwinConfigurations.mbp = nix-darwin.lib.darwinSystem {
      system = "aarch64-darwin";
      modules = [ ./mbp.nix ];
    };
    nixosConfigurations.ritchie = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [ ./ritchie.nix ];
    };
  };
}
