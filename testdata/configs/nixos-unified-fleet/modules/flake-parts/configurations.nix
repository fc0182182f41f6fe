{ self, inputs, ... }:
let
  mkNixos = self.nixos-unified.lib.mkLinuxSystem { home-manager = false; };
in
{
  flake.nixosConfigurations = inputs.nixpkgs.lib.mapAttrs (name: _: mkNixos ../../configurations/nixos/${name})
    (builtins.readDir ../../configurations/nixos);
}
