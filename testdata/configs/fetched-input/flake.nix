{
  description = "The builder's emulation comes from a module of a flake input: read from its fetched source with --fetch-inputs";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
    builder-modules.url = "github:example-org/builder-modules";
  };

  outputs = { nixpkgs, builder-modules, ... }: {
    nixosConfigurations = {
      pi = nixpkgs.lib.nixosSystem {
        system = "aarch64-linux";
        modules = [ ./hosts/pi.nix ];
      };
      ritchie = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ builder-modules.nixosModules.builder ./hosts/ritchie.nix ];
      };
    };
  };
}
