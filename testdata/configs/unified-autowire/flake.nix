{
  # A fleet autowired by nixos-unified: lib.mkFlake imports the flake
  # modules of ./modules/flake (the first of nix/modules/flake,
  # modules/flake, nix/modules/flake-parts, modules/flake-parts); its
  # autoWire module makes a host of each configurations/<class>/<name>.
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.05";
    flake-parts.url = "github:hercules-ci/flake-parts";
    nix-darwin.url = "github:nix-darwin/nix-darwin";
    home-manager.url = "github:nix-community/home-manager";
    nixos-unified.url = "github:srid/nixos-unified";
  };

  outputs = inputs: inputs.nixos-unified.lib.mkFlake {
    inherit inputs;
    root = ./.;
  };
}
