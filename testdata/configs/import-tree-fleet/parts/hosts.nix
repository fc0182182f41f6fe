{ inputs, config, ... }:
let
  host = name: system: extra: inputs.nixpkgs.lib.nixosSystem {
    inherit system;
    modules = [ (inputs.import-tree (../hosts + "/${name}")) { networking.hostName = name; } ] ++ extra;
  };
in
{
  flake.nixosConfigurations = {
    forge = host "forge" "x86_64-linux" [ config.flake.nixosModules.builder-user ];
    pi = host "pi" "aarch64-linux" [ ];
  };
}
