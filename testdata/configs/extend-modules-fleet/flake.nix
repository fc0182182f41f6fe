{
  # Builders made from one base system with extendModules, as fleets that
  # share a base write them: each builder is the base plus its own modules.
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { nixpkgs, ... }:
    let
      base = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./base.nix ];
      };
    in
    {
      nixosConfigurations = {
        b1 = base.extendModules { modules = [ ./b1.nix ]; };
        b2 = base.extendModules { modules = [ { networking.hostName = "b2"; } ]; };
        pi = nixpkgs.lib.nixosSystem {
          system = "aarch64-linux";
          modules = [ ./pi.nix ];
        };
      };
    };
}
