{
  # The outputs are parts // hosts, and neither side's names can be listed
  # by the static reader: each adds a part under a condition it cannot
  # decide (an environment variable; empty in Nix's pure evaluation). The
  # right side wins where it has a name, as in Nix: nixosConfigurations is
  # hosts' (forge and desk), not parts' (old); packages, which only parts
  # has, is parts'. Nothing is listed to select them.
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.05";

  outputs = { self, nixpkgs, ... }:
    let
      lib = nixpkgs.lib;
      dev = builtins.getEnv "FLEET_DEV" == "1";
      mkHost = name: modules: lib.nixosSystem {
        system = "x86_64-linux";
        modules = modules ++ [ { networking.hostName = name; } ];
      };
      parts = {
        nixosConfigurations.old = mkHost "old" [ ./client.nix ];
        packages = { };
      } // lib.optionalAttrs dev { checks = { }; };
      hosts = {
        nixosConfigurations = {
          forge = mkHost "forge" [ ./builder.nix ];
          desk = mkHost "desk" [ ./client.nix ];
        };
      } // lib.optionalAttrs dev { devShells = { }; };
    in
    parts // hosts // lib.optionalAttrs dev { formatter = { }; };
}
