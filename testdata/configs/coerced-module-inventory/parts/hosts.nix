{ inputs, self, ... }:
{
  flake.nixosConfigurations = {
    ritchie = inputs.nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [
        ../hosts/ritchie/configuration.nix
        self.nixosModules.remote-builder
        self.nixosModules.emulation
      ];
    };
    pi = inputs.nixpkgs.lib.nixosSystem {
      system = "aarch64-linux";
      modules = [ ../hosts/pi/configuration.nix ];
    };
  };
}
