{
  description = "flake-utils outputs, an extended lib and modules found through self";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
    flake-utils.url = "github:numtide/flake-utils";
  };

  outputs = { self, nixpkgs, flake-utils, ... }@inputs:
    let
      inherit (self) outputs;
      lib = nixpkgs.lib.extend (final: prev: {
        my = import ./lib { lib = final; inherit outputs; };
      });
    in
    (flake-utils.lib.eachDefaultSystem (system: {
      formatter = nixpkgs.legacyPackages.${system}.nixfmt-rfc-style;
    }))
    // {
      nixosModules = {
        remote-builder = ./modules/remote-builder.nix;
        ssh = ./modules/ssh.nix;
      };
      nixosConfigurations = {
        pi = lib.my.mkHost "pi" "aarch64-linux";
        ritchie = lib.my.mkHost "ritchie" "x86_64-linux";
      };
    };
}
