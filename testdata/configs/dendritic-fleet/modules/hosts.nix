{ inputs, config, ... }:
let
  nixos = config.flake.modules.nixos;
  host = name: features: inputs.nixpkgs.lib.nixosSystem {
    system = "x86_64-linux";
    modules = [ nixos.base { networking.hostName = name; } ] ++ map (f: nixos.${f}) features;
  };
in
{
  flake.nixosConfigurations = {
    forge = host "forge" [ "builder" ];
    desk = host "desk" [ "client" ];
  };
}
