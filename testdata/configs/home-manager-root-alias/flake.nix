# root's home-manager ssh config names the builder by an alias whose hostname is an address networking.interfaces gives ritchie, with the port and user to log in with (on ci, root's home-manager configuration is a module function in a file of its own).
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";

  outputs = { nixpkgs, ... }: {
    nixosConfigurations = {
      pi = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./hosts/pi.nix ];
      };
      ci = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./hosts/ci.nix ];
      };
      ritchie = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./hosts/ritchie.nix ];
      };
    };
  };
}
