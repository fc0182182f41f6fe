# Clients log in with their host keys, pinned in the shared keys.nix; the
# builders' lists name keys of that set (ritchie: `with keys.hosts; [ … ]`,
# big: keys.hosts.<name>), and neither lists pi's. --fix adds the
# reference keys.hosts.pi / pi, not the literal key. laptop is listed: no finding.
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";

  outputs = { nixpkgs, ... }: {
    nixosConfigurations = {
      pi = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./hosts/common.nix ./hosts/client.nix { networking.hostName = "pi"; } ];
      };
      laptop = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./hosts/common.nix ./hosts/client.nix { networking.hostName = "laptop"; } ];
      };
      ritchie = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./hosts/common.nix ./hosts/ritchie.nix ];
      };
      big = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./hosts/common.nix ./hosts/big.nix ];
      };
    };
  };
}
