# The stand-in has no NixOS modules of its own to list (flake-utils-plus
# imports this list; nixos.nix declares what the tests need).
[ ]
