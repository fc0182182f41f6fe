{
  # A fleet's own inventory: lib.evalModules over inventory.nix, whose
  # hosts option (attrsOf submodule) builds nixosConfigurations.
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.05";

  outputs = { self, nixpkgs }:
    let
      lib = nixpkgs.lib;
      inventory = lib.evalModules {
        modules = [
          {
            options.hosts = lib.mkOption {
              type = lib.types.attrsOf (lib.types.submodule ({ name, ... }: {
                options.system = lib.mkOption { type = lib.types.str; default = "x86_64-linux"; };
                options.modules = lib.mkOption { type = lib.types.listOf lib.types.deferredModule; default = [ ]; };
                options.hostName = lib.mkOption { type = lib.types.str; default = name; };
              }));
              default = { };
            };
          }
          ./inventory.nix
        ];
      };
    in
    {
      nixosConfigurations = lib.mapAttrs
        (name: h: lib.nixosSystem {
          inherit (h) system;
          modules = h.modules ++ [ { networking.hostName = h.hostName; } ];
        })
        inventory.config.hosts;
    };
}
