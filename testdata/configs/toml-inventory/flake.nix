{
  # Hosts from a TOML inventory (builtins.fromTOML), their modules a list
  # that mixes a flake input's modules (no source here) with the fleet's
  # own files through lib.flatten and lib.unique: the fleet's files are read.
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
  inputs.sops-nix.url = "github:Mic92/sops-nix";

  outputs = { nixpkgs, sops-nix, ... }:
    let
      inherit (nixpkgs) lib;
      inventory = builtins.fromTOML (builtins.readFile ./inventory.toml);
    in
    {
      nixosConfigurations = builtins.mapAttrs (name: h: lib.nixosSystem {
        inherit (h) system;
        modules = lib.unique (lib.flatten [
          [ sops-nix.nixosModules.sops ]
          ./hosts/${name}.nix
          (lib.optional (h.role == "builder") ./builder.nix)
          sops-nix.nixosModules.sops
        ]);
      }) inventory.hosts;
    };
}
