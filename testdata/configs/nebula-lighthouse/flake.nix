# laptop reaches its builder by the nebula address of the network's only
# lighthouse (hub), and pi by hub's public address from staticHostMap:
# both are hub, whose build user is not trusted. On the second network,
# two lighthouses share one lighthouses list: which one 10.43.0.1 is
# cannot be known, so nothing is claimed about ci's builder.
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";

  outputs = { nixpkgs, ... }: {
    nixosConfigurations = {
      hub = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./hosts/mesh.nix ./hosts/hub.nix ];
      };
      laptop = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./hosts/mesh.nix ./hosts/client.nix { networking.hostName = "laptop"; nix.buildMachines = [ { hostName = "10.42.0.1"; sshUser = "nixremote"; systems = [ "x86_64-linux" ]; } ]; } ];
      };
      pi = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./hosts/mesh.nix ./hosts/client.nix { networking.hostName = "pi"; nix.buildMachines = [ { hostName = "203.0.113.7"; sshUser = "nixremote"; systems = [ "x86_64-linux" ]; } ]; } ];
      };
      ci = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./hosts/lab.nix ./hosts/client.nix { networking.hostName = "ci"; nix.buildMachines = [ { hostName = "10.43.0.1"; sshUser = "nixremote"; systems = [ "x86_64-linux" ]; } ]; } ];
      };
      lab1 = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./hosts/lab.nix ./hosts/builder.nix { networking.hostName = "lab1"; services.nebula.networks.lab.isLighthouse = true; } ];
      };
      lab2 = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./hosts/lab.nix ./hosts/builder.nix { networking.hostName = "lab2"; services.nebula.networks.lab.isLighthouse = true; } ];
      };
    };
  };
}
