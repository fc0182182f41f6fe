{
  # den without flake-parts (den's minimal template): the fleet evaluates
  # den's flakeModule with nixpkgs' lib.evalModules and its outputs are
  # config.flake.
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.05";
    den.url = "github:vic/den";
    # den resolves aspects with nix-effects, from the flake's own inputs.
    nix-effects.url = "github:vic/nix-effects";
  };

  outputs = inputs:
    (inputs.nixpkgs.lib.evalModules {
      modules = [ inputs.den.flakeModule ./den.nix ./builder.nix ];
      specialArgs = { inherit inputs; };
    }).config.flake;
}
