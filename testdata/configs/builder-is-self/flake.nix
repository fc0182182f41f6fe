{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { self, nixpkgs }:
    let
      registry = {
        alpha = { system = "x86_64-linux"; builder = true; };
        beta = { system = "x86_64-linux"; builder = true; };
      };
      builders = builtins.attrNames (nixpkgs.lib.filterAttrs (_: h: h.builder) registry);
    in
    {
      nixosConfigurations = builtins.mapAttrs (name: host:
        nixpkgs.lib.nixosSystem {
          system = host.system;
          specialArgs = { inherit builders; hostName = name; };
          modules = [ ./hosts/${name} ./remote-builders.nix ];
        }) registry;
    };
}
