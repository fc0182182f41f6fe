{
  # Hosts and shared modules found with lib.fileset: every
  # hosts/<name>/default.nix is a host, every .nix file of modules/ (but the
  # unfinished ones in modules/_wip) is imported by all of them.
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.05";

  outputs = { nixpkgs, ... }:
    let
      lib = nixpkgs.lib;
      fs = lib.fileset;
      shared = fs.toList (fs.difference (fs.fileFilter (f: f.hasExt "nix") ./modules) (fs.maybeMissing ./modules/_wip));
      hostFiles = fs.toList (fs.fileFilter (f: f.name == "default.nix") ./hosts);
      mkHost = file: {
        name = baseNameOf (dirOf file);
        value = lib.nixosSystem { modules = [ file ] ++ shared; };
      };
    in
    {
      nixosConfigurations = builtins.listToAttrs (map mkHost hostFiles);
    };
}
