{
  description = "Modules kept in a flake-level inventory (coercedTo a submodule), hosts importing them through self";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
    flake-parts.url = "github:hercules-ci/flake-parts";
  };

  outputs = inputs@{ flake-parts, ... }:
    flake-parts.lib.mkFlake { inherit inputs; } {
      systems = [ "x86_64-linux" "aarch64-linux" ];
      imports = [
        ./parts/module-inventory.nix
        ./parts/hosts.nix
        ./modules
      ];
    };
}
