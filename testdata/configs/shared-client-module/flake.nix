{
  # Three Raspberry Pis import one module that sends their builds to hub.
  # A problem in that module is one problem, reported once, naming every
  # client; its fix is written once.
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { nixpkgs, ... }:
    let
      pi = name: nixpkgs.lib.nixosSystem {
        system = "aarch64-linux";
        modules = [ ./hosts/${name}/configuration.nix ./modules/remote-builders.nix ];
      };
    in
    {
      nixosConfigurations = {
        hub = nixpkgs.lib.nixosSystem {
          system = "x86_64-linux";
          modules = [ ./hosts/hub/configuration.nix ];
        };
        pi1 = pi "pi1";
        pi2 = pi "pi2";
        pi3 = pi "pi3";
      };
    };
}
