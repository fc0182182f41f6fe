{
  # A flake laid out for numtide's blueprint: hosts/<name>/configuration.nix
  # are NixOS hosts, modules/nixos/<name>.nix are nixosModules, lib/ is
  # flake.lib; hosts/custom builds itself (default.nix) and is not read.
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
  inputs.blueprint.url = "github:numtide/blueprint";
  inputs.blueprint.inputs.nixpkgs.follows = "nixpkgs";

  outputs = inputs: inputs.blueprint { inherit inputs; };
}
