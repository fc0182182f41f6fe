# Two clients log in to ritchie with their own host key, which keys.nix
# pins for every host; ritchie's build user lists ci's key but not pi's.
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";

  outputs = { nixpkgs, ... }: {
    nixosConfigurations = {
      pi = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./hosts/common.nix ./hosts/pi.nix ];
      };
      ci = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./hosts/common.nix ./hosts/ci.nix ];
      };
      ritchie = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./hosts/common.nix ./hosts/ritchie.nix ];
      };
    };
  };
}
