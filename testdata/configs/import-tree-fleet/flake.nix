{
  # import-tree twice: the flake modules are every .nix file of parts/
  # plus one file given alone, and each host's NixOS modules are every
  # .nix file below hosts/<name>. Files and directories whose name starts
  # with _ are left out; directories come in readDir's order (users/
  # before users.nix, as Nix lists them), which decides the order of the
  # hosts' trusted-users.
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.05";
    flake-parts.url = "github:hercules-ci/flake-parts";
    import-tree.url = "github:vic/import-tree";
  };

  outputs = inputs:
    inputs.flake-parts.lib.mkFlake { inherit inputs; } {
      systems = [ "x86_64-linux" "aarch64-linux" ];
      imports = [ (inputs.import-tree [ ./parts ./shared/builder-user.nix ]) ];
    };
}
