{
  # Modules of widely used flakes whose source is nowhere here: the
  # project's table knows they define none of the options these findings
  # rest on, so the errors stay errors.
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
  inputs.home-manager.url = "github:nix-community/home-manager";
  inputs.sops-nix.url = "github:Mic92/sops-nix";
  inputs.disko.url = "github:nix-community/disko";
  inputs.nixos-hardware.url = "github:NixOS/nixos-hardware";

  outputs = { nixpkgs, home-manager, sops-nix, disko, nixos-hardware, ... }: {
    nixosConfigurations = {
      pi = nixpkgs.lib.nixosSystem {
        system = "aarch64-linux";
        modules = [ ./hosts/pi.nix disko.nixosModules.disko nixos-hardware.nixosModules.raspberry-pi-4 ];
      };
      hub = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [
          ./hosts/hub.nix
          home-manager.nixosModules.home-manager
          sops-nix.nixosModules.sops
          nixos-hardware.nixosModules.common-cpu-amd
        ];
      };
    };
  };
}
