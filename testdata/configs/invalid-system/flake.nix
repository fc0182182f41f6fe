{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { nixpkgs, ... }: {
    nixosConfigurations.pi = nixpkgs.lib.nixosSystem {
      system = "aarch64-linux";
      modules = [
        {
          nix.distributedBuilds = true;
          nix.buildMachines = [
            { hostName = "ritchie"; systems = [ "x86_64_linux" "arm64-linux" ]; }
            { hostName = "ritchie"; system = "aarch64"; }
          ];
        }
      ];
    };
    nixosConfigurations.ritchie = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [ { services.openssh.enable = true; boot.binfmt.emulatedSystems = [ "aarch64-linux" ]; } ];
    };
  };
}
