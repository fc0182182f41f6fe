{
  # Dendritic: every file under modules/ is a flake-parts module
  # (import-tree); the NixOS modules are flake.modules.nixos.<name>, some
  # named by readDir of features/, merged with // over literal ones.
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.05";
    flake-parts.url = "github:hercules-ci/flake-parts";
    import-tree.url = "github:vic/import-tree";
  };

  outputs = inputs:
    inputs.flake-parts.lib.mkFlake { inherit inputs; } {
      systems = [ "x86_64-linux" ];
      imports = [ (inputs.import-tree ./modules) ];
    };
}
