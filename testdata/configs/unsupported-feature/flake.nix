{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { self, nixpkgs }:
    let
      system = "x86_64-linux";
    in
    {
      nixosConfigurations = nixpkgs.lib.genAttrs [ "desk" "gpubox" ] (name:
        nixpkgs.lib.nixosSystem {
          inherit system;
          modules = [ ./hosts/${name}.nix ];
        });
    };
}
