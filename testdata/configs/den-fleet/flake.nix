{
  # den on flake-parts: hosts are den.hosts.<system>.<name>, each configured
  # by the aspect of its name (den.aspects.<name>), the aspects it includes,
  # den.default and the aspects of its users.
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.05";
    flake-parts.url = "github:hercules-ci/flake-parts";
    den.url = "github:vic/den";
    # den resolves aspects with nix-effects, from the flake's own inputs.
    nix-effects.url = "github:vic/nix-effects";
  };

  outputs = inputs:
    inputs.flake-parts.lib.mkFlake { inherit inputs; } {
      imports = [
        inputs.den.flakeModule
        ./hosts.nix
        ./aspects/defaults.nix
        ./aspects/pi.nix
        ./aspects/ritchie.nix
        ./aspects/remote-builds.nix
        ./aspects/alice.nix
      ];
    };
}
