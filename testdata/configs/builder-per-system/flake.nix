{
  # One builder listed once per system, as real fleets do: native x86_64
  # with kvm and 16 jobs, emulated aarch64 with 2 jobs; nixbuild.net once
  # per system; and a second entry for big builds that differs only in
  # mandatoryFeatures, and one entry written twice (the same store URI).
  # None of them is a duplicate: no two with different store URIs offer the
  # same system with the same mandatory features.
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { nixpkgs, ... }: {
    nixosConfigurations = {
      laptop = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./laptop.nix ];
      };
      ritchie = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./ritchie.nix ];
      };
    };
  };
}
