# Each entry of fleet.nixosModules is a path (coerced to { module = …; })
# or a set; flake.nixosModules exposes the wrapped module of each.
{ config, lib, inputs, ... }:
let
  entry = lib.types.coercedTo (lib.types.oneOf [ lib.types.str lib.types.path ]) (m: { module = m; })
    (lib.types.submodule ({ config, ... }: {
      options = {
        module = lib.mkOption { type = lib.types.oneOf [ lib.types.str lib.types.path ]; };
        extraArgs = lib.mkOption {
          type = lib.types.nullOr (lib.types.attrsOf lib.types.unspecified);
          default = null;
        };
        wrappedModule = lib.mkOption {
          type = lib.types.unspecified;
          readOnly = true;
        };
      };
      config.wrappedModule = {
        imports = [ (if config.extraArgs == null then config.module else import config.module config.extraArgs) ];
        _file = config.module;
      };
    }));
in
{
  options.fleet.nixosModules = lib.mkOption { type = lib.types.attrsOf entry; };
  config.flake.nixosModules = builtins.mapAttrs (_: e: e.wrappedModule) config.fleet.nixosModules;
}
