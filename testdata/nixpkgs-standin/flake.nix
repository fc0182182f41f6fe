{
  # nixbuild-lint's stand-in for nixpkgs, for offline tests of --eval nix:
  # nixbuild-lint's own lib (lib.nix, copied in by the tests) and a small
  # NixOS module system (nixos.nix) that fills the defaults of the options
  # the model reads, shaped as NixOS shapes them. Tests pass
  #   --override-input nixpkgs=path:<a copy of this directory>
  description = "nixbuild-lint stand-in nixpkgs";

  outputs = { self }:
    let
      lib = import ./lib.nix {
        __nblNixosSystem = args: import ./nixos.nix { inherit lib; kind = "nixos"; } args;
        __nblDarwinSystem = args: import ./nixos.nix { inherit lib; kind = "darwin"; } args;
        __nblTypes = { };
      };
    in
    {
      inherit lib;
      nixosModules = { };
    };
}
