# Not imported: modules/flake comes first in nixos-unified's order.
{ inputs, ... }:
{
  flake.nixosConfigurations.stray = inputs.nixpkgs.lib.nixosSystem {
    modules = [ { nixpkgs.hostPlatform = "x86_64-linux"; } ];
  };
}
