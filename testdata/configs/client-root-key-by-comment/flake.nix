# pi's root logs in with its default key, which ritchie lists in a key file
# (comment root@pi); big lists only ci's key.
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
        modules = [ ./hosts/builder.nix { networking.hostName = "ritchie"; users.users.nixremote.openssh.authorizedKeys.keyFiles = [ ./keys/pi-root.pub ]; } ];
      };
      big = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./hosts/builder.nix { networking.hostName = "big"; users.users.nixremote.openssh.authorizedKeys.keys = [ "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAII0MsoXz7ajf49elDw6aK9cpziot5vA45+YA/aE8OOEO root@ci" ]; } ];
      };
    };
  };
}
