{
  description = "Pi and laptop, set up right";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
    nixos-hardware.url = "github:NixOS/nixos-hardware";
  };

  outputs = inputs@{ self, nixpkgs, nixos-hardware, ... }:
    let
      inherit (nixpkgs) lib;
      mkHost = name: system: extraModules:
        lib.nixosSystem {
          inherit system;
          specialArgs = { inherit inputs; fleet = import ./fleet.nix; };
          modules = [
            ./hosts/${name}
            ./modules/common.nix
            { networking.hostName = name; }
          ] ++ extraModules;
        };
    in
    {
      nixosConfigurations = {
        pi = mkHost "pi" "aarch64-linux" [ nixos-hardware.nixosModules.raspberry-pi-4 ];
        ritchie = mkHost "ritchie" "x86_64-linux" [ ];
      };
    };
}
