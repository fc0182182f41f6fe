{
  # Flake modules read from a directory, each wrapped in a function
  # without a set pattern (args: …) that hands every module argument on,
  # with one more added by lib.recursiveUpdate: the part's file name,
  # which names the host.
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.05";
    flake-parts.url = "github:hercules-ci/flake-parts";
  };

  outputs = inputs@{ flake-parts, ... }:
    flake-parts.lib.mkFlake { inherit inputs; } {
      systems = [ "x86_64-linux" "aarch64-linux" ];
      imports = map
        (name:
          let
            part = import (./parts + "/${name}");
            wrapped = args: part (inputs.nixpkgs.lib.recursiveUpdate args { partName = inputs.nixpkgs.lib.removeSuffix ".nix" name; });
          in
          wrapped)
        (builtins.attrNames (builtins.readDir ./parts));
    };
}
