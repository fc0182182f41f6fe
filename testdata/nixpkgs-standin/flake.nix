{
  # nixbuild-lint's stand-in for nixpkgs, for offline tests of --eval nix:
  # the real nixpkgs lib (the tests copy ../shared/vendor/nixpkgs-lib in as
  # ./nixpkgs-lib) extended with nixosSystem and darwinSystem, which
  # evaluate a stand-in NixOS (nixos.nix) with the real lib.evalModules.
  # Tests pass
  #   --override-input nixpkgs=path:<a copy of this directory>
  description = "nixbuild-lint stand-in nixpkgs";

  outputs = { self }:
    let
      lib = (import ./nixpkgs-lib/lib).extend (final: prev: {
        nixosSystem = import ./nixos.nix { lib = final; kind = "nixos"; };
        darwinSystem = import ./nixos.nix { lib = final; kind = "darwin"; };
      });
    in
    {
      inherit lib;
      nixosModules = { };
      # As nixpkgs has it (flake-utils-plus takes an input with
      # legacyPackages.x86_64-linux.nix for a channel).
      legacyPackages = lib.genAttrs [ "x86_64-linux" "aarch64-linux" "x86_64-darwin" "aarch64-darwin" ] (system: import ./. { inherit system; });
    };
}
