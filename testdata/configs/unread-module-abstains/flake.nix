{
  description = "The builder imports a module of a flake input, which the static reader cannot read";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
    home-manager.url = "github:nix-community/home-manager/release-24.05";
  };

  outputs = { nixpkgs, home-manager, ... }: {
    nixosConfigurations = {
      pi = nixpkgs.lib.nixosSystem {
        system = "aarch64-linux";
        modules = [ ./hosts/pi.nix ];
      };
      ritchie = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        # Such a module may enable sshd or emulation: nothing is claimed
        # about their absence on ritchie.
        modules = [ home-manager.nixosModules.home-manager ./hosts/ritchie.nix ];
      };
    };
  };
}
