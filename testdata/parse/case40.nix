name: ./a/${name}.nix
