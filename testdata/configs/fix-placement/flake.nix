{
  # Fixes go where an expert puts them: never into the generated
  # hardware-configuration.nix (even when it is listed first and already
  # holds boot.* options), after a trailing comment without moving it, and
  # through `with lib;` around a module's body.
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { nixpkgs, ... }: {
    nixosConfigurations = {
      builder = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./hosts/builder/hardware-configuration.nix ./hosts/builder/configuration.nix ];
      };
      pi = nixpkgs.lib.nixosSystem {
        system = "aarch64-linux";
        modules = [ ./modules/builders.nix ./hosts/pi/configuration.nix ];
      };
    };
  };
}
