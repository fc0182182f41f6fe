{ config, inputs, lib, ... }:
let
  requires = aspects: lib.concatMap (a: map (n: config.aspects.${n}) (a.requires or [ ])) aspects;
  nixosModules = lib.foldr (a: acc: acc ++ (a.nixos.imports or [ ])) [ ];
  host = name: system: aspects:
    inputs.nixpkgs.lib.nixosSystem {
      inherit system;
      modules = nixosModules (aspects ++ requires aspects) ++ [ { networking.hostName = name; } ];
    };
in
{
  flake.nixosConfigurations = with config.aspects; {
    ritchie = host "ritchie" "x86_64-linux" [ base builder ];
    pi = host "pi" "aarch64-linux" [ base client ];
  };
}
