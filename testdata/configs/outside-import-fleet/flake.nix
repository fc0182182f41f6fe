{
  description = "A client and a builder whose module lists name files outside the checked tree";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";

  outputs = { self, nixpkgs, ... }:
    let
      fleet = import ./fleet.nix;
    in
    {
      nixosConfigurations = {
        pi = nixpkgs.lib.nixosSystem {
          system = "aarch64-linux";
          specialArgs = { inherit fleet; };
          modules = [ ./hosts/pi ./modules/common.nix { networking.hostName = "pi"; } ];
        };
        ritchie = nixpkgs.lib.nixosSystem {
          system = "x86_64-linux";
          specialArgs = { inherit fleet; };
          # The machine's own generated file, and one beside the checkout (four
          # levels up: above the git repository holding this fixture).
          modules = [ ./hosts/ritchie ./modules/common.nix /etc/nixos/hardware-configuration.nix ./../../../../outside-builder.nix { networking.hostName = "ritchie"; } ];
        };
      };
    };
}
