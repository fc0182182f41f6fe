{
  # Both builders import one module that sets their emulation: adding a
  # system there changes both, so the fixer offers no edit and says why.
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { nixpkgs, ... }:
    let
      builder = name: nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./modules/builder.nix { networking.hostName = name; } ];
      };
    in
    {
      nixosConfigurations = {
        b1 = builder "b1";
        b2 = builder "b2";
        pi = nixpkgs.lib.nixosSystem {
          system = "aarch64-linux";
          modules = [{
            nix.distributedBuilds = true;
            nix.buildMachines = [ { hostName = "b1"; systems = [ "aarch64-linux" "riscv64-linux" ]; } ];
          }];
        };
      };
    };
}
