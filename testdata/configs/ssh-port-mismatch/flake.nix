# root's ssh config reaches ritchie on port 2222; ritchie's sshd listens on 22 only.
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
