{
  # den namespaces: the aspects the hosts share live in the `fleet`
  # namespace (fleet.<aspect>, den.ful.fleet.<aspect>), which site.nix's
  # defaults are merged into and which the flake exports as denful.fleet.
  # The hosts' own aspects include them.
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.05";
    flake-parts.url = "github:hercules-ci/flake-parts";
    den.url = "github:vic/den";
    # den resolves aspects with nix-effects, from the flake's own inputs.
    nix-effects.url = "github:vic/nix-effects";
  };

  outputs = inputs:
    inputs.flake-parts.lib.mkFlake { inherit inputs; } {
      imports = [
        inputs.den.flakeModule
        ./namespace.nix
        ./hosts.nix
        ./fleet/base.nix
        ./fleet/builder.nix
        ./fleet/remote-builds.nix
      ];
    };
}
