{
  # Hosts built by lib.foldlAttrs over an inventory, nix-darwin builders
  # made by a function that takes the flake's inputs, and a lib.foldAttrs
  # of per-role settings.
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.05";
    nix-darwin.url = "github:nix-darwin/nix-darwin";
  };

  outputs = inputs@{ self, nixpkgs, ... }:
    let
      lib = nixpkgs.lib;
      inventory = {
        forge = { system = "x86_64-linux"; role = "builder"; };
        desk = { system = "x86_64-linux"; role = "client"; };
        pi = { system = "aarch64-linux"; role = "client"; };
      };
      roles = lib.foldAttrs (item: acc: [ item ] ++ acc) [ ] [
        { builder = ./builder.nix; client = ./client.nix; }
      ];
      mkHost = name: cfg: lib.nixosSystem {
        inherit (cfg) system;
        modules = roles.${cfg.role} ++ [ { networking.hostName = name; } ];
      };
    in
    {
      nixosConfigurations = lib.foldlAttrs
        (acc: name: cfg: acc // { ${name} = mkHost name cfg; })
        { }
        inventory;
      darwinConfigurations = import ./darwin.nix inputs;
    };
}
