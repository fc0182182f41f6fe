./a/b.nix
