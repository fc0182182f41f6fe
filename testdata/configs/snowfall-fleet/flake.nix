{
  # A snowfall-lib fleet: hosts are systems/<system>/<name>/default.nix,
  # every modules/nixos/**/default.nix is imported into every NixOS host,
  # the fleet's own lib/ is lib.frost (its namespace) in every module.
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.05";
    snowfall-lib = {
      url = "github:snowfallorg/lib";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs = inputs:
    let
      lib = inputs.snowfall-lib.mkLib {
        inherit inputs;
        src = ./.;
        snowfall.namespace = "frost";
      };
    in
    lib.mkFlake {
      systems.modules.nixos = [ { services.openssh.enable = true; } ];
      systems.hosts.forge.modules = [ ./builder-user.nix ];
    };
}
