# Every host pins the others' host keys from keys.nix; whoever added big
# copied ritchie's key, and pi still pins an old key of ritchie in its
# build machine entry.
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";

  outputs = { nixpkgs, ... }: {
    nixosConfigurations = {
      pi = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./hosts/common.nix ./hosts/pi.nix ];
      };
      ritchie = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./hosts/common.nix ./hosts/builder.nix { networking.hostName = "ritchie"; } ];
      };
      big = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./hosts/common.nix ./hosts/builder.nix { networking.hostName = "big"; } ];
      };
    };
  };
}
