{
  # The host list lives in a TOML file: only evaluation can read it.
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
  outputs = { nixpkgs, ... }:
    let
      hosts = builtins.fromTOML (builtins.readFile ./hosts.toml);
    in
    {
      nixosConfigurations = builtins.mapAttrs (name: h: nixpkgs.lib.nixosSystem {
        system = h.system;
        modules = [ ./hosts/${name}.nix ];
      }) hosts;
    };
}
