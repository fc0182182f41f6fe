{
  # Definitions merged as NixOS merges them: ssh client config (types.lines)
  # from two modules concatenated, a user whose name is an option
  # (users.users.${config.fleet.builderUser}), and a user merged with
  # mkMerge. Real Nix reads it the same way (parity test).
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { nixpkgs, ... }: {
    nixosConfigurations = {
      pi = nixpkgs.lib.nixosSystem {
        system = "aarch64-linux";
        modules = [ ./hosts/pi.nix ./modules/ssh-common.nix ];
      };
      hub = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./hosts/hub.nix ./modules/fleet.nix ];
      };
    };
  };
}
