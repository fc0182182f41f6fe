{ inputs, ... }:
{
  # The fleet namespace: exported (true) and merged with site.nix's
  # denful.fleet, as a namespace imported from another flake would be.
  imports = [ (inputs.den.namespace "fleet" [ true (import ./site.nix) ]) ];
}
