{
  # Every host imports the fleet's client module, which lists hub (and
  # nixbuild.net). hub is the builder: it turns distributed builds off on
  # purpose, so its daemon never reads the list, and nothing about the list
  # is a problem of hub's.
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { nixpkgs, ... }: {
    nixosConfigurations = {
      hub = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./hosts/hub/configuration.nix ./modules/client.nix ];
      };
      pi = nixpkgs.lib.nixosSystem {
        system = "aarch64-linux";
        modules = [ ./hosts/pi/configuration.nix ./modules/client.nix ];
      };
    };
  };
}
