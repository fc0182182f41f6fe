{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { nixpkgs, ... }: {
    nixosConfigurations.pi = nixpkgs.lib.nixosSystem {
      modules = [ ./configuration.nix ];
    };
    nixosConfigurations.ritchie = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [ { networking.hostName = "ritchie"; services.openssh.enable = true; boot.binfmt.emulatedSystems = [ "aarch64-linux" ]; } ];
    };
  };
}
