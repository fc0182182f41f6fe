{
  # den taken from a fork (a repository of another owner, named den) on
  # the fleet's own lib.evalModules, its modules gathered by import-tree.
  # Each host lists its aspects in an attribute of its own (aspects), and
  # den.ctx includes forward them into the host with den's forward battery.
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.05";
    den.url = "github:example-fork/den/strict-mode";
    import-tree.url = "github:vic/import-tree";
    # den resolves aspects with nix-effects, from the flake's own inputs.
    nix-effects.url = "github:vic/nix-effects";
  };

  outputs =
    inputs:
    (inputs.nixpkgs.lib.evalModules {
      specialArgs = { inherit inputs; };
      modules = [ (inputs.import-tree ./modules) ];
    }).config.flake;
}
