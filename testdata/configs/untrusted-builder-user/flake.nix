{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { nixpkgs, ... }: {
    nixosConfigurations = {
      laptop = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./hosts/laptop.nix ];
      };
      builder = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./hosts/builder.nix ];
      };
    };
  };
}
