{
  # nuc sets no platform (no nixpkgs.hostPlatform, no system argument): its
  # system is unknown to both readers, and the rules that need it abstain.
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  outputs = { nixpkgs, ... }: {
    nixosConfigurations.nuc = nixpkgs.lib.nixosSystem { modules = [ ./nuc.nix ]; };
    nixosConfigurations.pi = nixpkgs.lib.nixosSystem { modules = [ ./pi.nix ]; };
  };
}
