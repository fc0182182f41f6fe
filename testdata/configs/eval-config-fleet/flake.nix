{
  # Hosts evaluated by importing nixpkgs' nixos/lib/eval-config.nix, as
  # older fleets do instead of lib.nixosSystem: by a string made from the
  # input ("${nixpkgs}/…") and by the input plus a string.
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.05";

  outputs = inputs@{ self, nixpkgs, ... }:
    let
      evalConfig = import "${nixpkgs}/nixos/lib/eval-config.nix";
    in
    {
      nixosConfigurations.forge = evalConfig {
        system = "x86_64-linux";
        modules = [ ./builder.nix ];
      };
      nixosConfigurations.desk = import (inputs.nixpkgs + "/nixos/lib/eval-config.nix") {
        system = "x86_64-linux";
        specialArgs = { builder = "forge"; };
        modules = [ ./client.nix { networking.hostName = "desk"; } ];
      };
    };
}
