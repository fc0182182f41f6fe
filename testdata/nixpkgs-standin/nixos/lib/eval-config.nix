# nixpkgs' nixos/lib/eval-config.nix in the stand-in: the function
# lib.nixosSystem calls, with the same arguments.
args: ((import ../../flake.nix).outputs { self = { }; }).lib.nixosSystem args
