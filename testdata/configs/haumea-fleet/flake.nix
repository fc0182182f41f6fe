{
  # Hosts loaded from a directory with haumea (lib.load): each file under
  # ./hosts is called with the inputs and gives its nixosSystem arguments;
  # ./modules is loaded with a loader that keeps paths, and "_" entries are
  # left out, as haumea does.
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
  inputs.haumea.url = "github:nix-community/haumea/v0.2.2";

  outputs = { nixpkgs, haumea, ... }:
    let
      modules = haumea.lib.load { src = ./modules; loader = haumea.lib.loaders.path; };
      hosts = haumea.lib.load { src = ./hosts; inputs = { inherit modules; }; };
    in
    {
      nixosConfigurations = builtins.mapAttrs (name: h: nixpkgs.lib.nixosSystem h) hosts;
    };
}
