{
  # A colmena hive: its nodes are the hosts (nixosConfigurations made by
  # colmena's lib.makeHive), each evaluated with the package set meta gives
  # it, the defaults module, and name and nodes as module arguments.
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.05";
    colmena.url = "github:zhaofengli/colmena";
  };

  outputs = { self, nixpkgs, colmena, ... }: {
    colmena = {
      meta = {
        nixpkgs = import nixpkgs { system = "x86_64-linux"; };
        nodeNixpkgs.pi = import nixpkgs { system = "aarch64-linux"; };
        specialArgs.builderKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOQ3w2bN1n5lJx1W0n2o9q8H3m4Yk6Z7a8b9c0d1e2f3 root@pi";
      };
      defaults = { name, ... }: {
        networking.hostName = name;
        services.openssh.enable = true;
      };
      forge = ./hosts/forge.nix;
      pi = ./hosts/pi.nix;
    };
    colmenaHive = colmena.lib.makeHive self.colmena;
    nixosConfigurations = self.colmenaHive.nodes;
  };
}
