# root's ssh configuration interpolates a secret's path the static reader cannot know: it may
# name the login user, so nothing is claimed about root logins; and it may hold root's alias
# for mac02, so mac02 is not called unknown.
{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
    sops-nix.url = "github:Mic92/sops-nix";
  };

  outputs = { nixpkgs, sops-nix, ... }: {
    nixosConfigurations = {
      pi = nixpkgs.lib.nixosSystem {
        system = "aarch64-linux";
        modules = [ sops-nix.nixosModules.sops ./hosts/pi.nix ];
      };
      ritchie = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./hosts/ritchie.nix ];
      };
    };
  };
}
