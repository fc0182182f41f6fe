{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
  };

  outputs = { self, ... }@inputs:
    let
      inherit (inputs.nixpkgs) lib;
      hostNames = builtins.attrNames (lib.filterAttrs (_: type: type == "directory") (builtins.readDir ./hosts));
      mkSystem = import ./lib/mk-system.nix { inherit inputs self; };
    in
    {
      nixosConfigurations = builtins.listToAttrs (map (name: {
        inherit name;
        value = mkSystem name;
      }) hostNames);
    };
}
