{
  # Hosts built by lib.evalModules over nixpkgs' own module list (neither
  # nixosSystem nor eval-config.nix). Each host's file is wrapped in a set
  # with __functor and __functionArgs that hands it the flake's inputs
  # (told from the rest by lib.isType "flake"), per system; the systems of
  # the packages come from a nix-systems input.
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.05";
    systems.url = "github:nix-systems/default-linux";
    agenix.url = "github:ryantm/agenix";
  };

  outputs = inputs@{ self, nixpkgs, systems, ... }:
    let
      inherit (nixpkgs) lib;
      flakes = lib.filterAttrs (_: lib.isType "flake") inputs;
      inputsFor = system: lib.mapAttrs (_: lib.mapAttrs (n: v: if n == "packages" then v.${system} else v)) flakes;
      withInputs = system: file:
        let
          m = import file;
        in
        {
          __functionArgs = builtins.removeAttrs (lib.functionArgs m) [ "agenix" ];
          __functor = _: args: m (args // { inherit (inputsFor system) agenix; });
        };
      host = name: system: lib.evalModules {
        specialArgs.modulesPath = "${nixpkgs}/nixos/modules";
        modules = [ (withInputs system ./hosts/${name}.nix) ]
          ++ import "${nixpkgs}/nixos/modules/module-list.nix";
      };
    in
    {
      nixosConfigurations = {
        pi = host "pi" "aarch64-linux";
        forge = host "forge" "x86_64-linux";
      };
      packages = lib.genAttrs (import systems) (system: { });
    };
}
