# A hardening module lets only alice log in over ssh on ritchie; pi logs in as nixremote.
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
