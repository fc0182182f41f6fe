# pi reaches its builder by a name pi serves itself (its own nginx virtual host): it builds on itself over ssh.
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";

  outputs = { nixpkgs, ... }: {
    nixosConfigurations = {
      pi = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./hosts/pi.nix ];
      };
      ritchie = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./hosts/ritchie.nix ];
      };
    };
  };
}
