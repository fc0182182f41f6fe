{
  # The hosts of the flake merged with those of a private input under a
  # condition the static reader cannot decide (the input's source is not
  # here): forge and desk are still read, the private part is one entry
  # with its reason.
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.05";
    private.url = "github:example-lab/private-hosts";
  };

  outputs = { self, nixpkgs, private, ... }:
    let
      lib = nixpkgs.lib;
      mkHost = name: modules: lib.nixosSystem {
        system = "x86_64-linux";
        modules = modules ++ [ { networking.hostName = name; } ];
      };
    in
    {
      nixosConfigurations = {
        forge = mkHost "forge" [ ./builder.nix ];
        desk = mkHost "desk" [ ./client.nix ];
      } // lib.optionalAttrs (private ? nixosConfigurations) private.nixosConfigurations;
    };
}
