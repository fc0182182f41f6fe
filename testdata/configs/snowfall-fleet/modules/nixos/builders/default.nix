{ config, lib, namespace, ... }:
let
  cfg = config.${namespace}.builders;
in
{
  options.${namespace}.builders = {
    client.enable = lib.mkEnableOption "offloading builds to forge";
    host.enable = lib.mkEnableOption "serving builds to the fleet";
  };

  config = lib.mkMerge [
    (lib.mkIf cfg.client.enable {
      nix.distributedBuilds = true;
      nix.settings.builders-use-substitutes = true;
      nix.buildMachines = [
        (lib.${namespace}.builder "forge" [ "x86_64-linux" "aarch64-linux" ])
      ];
    })
    (lib.mkIf cfg.host.enable {
      nix.settings.trusted-users = [ "nixremote" ];
    })
  ];
}
