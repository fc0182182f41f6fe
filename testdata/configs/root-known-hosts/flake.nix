# Root's known_hosts written by the fleet itself pins the builders' host
# keys: pi in /etc/ssh/ssh_known_hosts (an old key of ritchie), ci in its
# home-manager ~/.ssh/known_hosts (ritchie's key for big), laptop with
# programs.ssh.knownHostsFiles (both right: no finding).
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";

  outputs = { nixpkgs, ... }: {
    nixosConfigurations = {
      pi = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./hosts/client.nix ./hosts/pi.nix ];
      };
      ci = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./hosts/client.nix ./hosts/ci.nix ];
      };
      laptop = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./hosts/client.nix ./hosts/laptop.nix ];
      };
      ritchie = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./hosts/builder.nix { networking.hostName = "ritchie"; } ];
      };
      big = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./hosts/builder.nix { networking.hostName = "big"; } ];
      };
    };
  };
}
