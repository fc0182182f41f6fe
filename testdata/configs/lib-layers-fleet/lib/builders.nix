{ inputs, lib, ... }:
{
  mkHost = { name, system, module }: lib.nixosSystem {
    modules = [
      module
      {
        networking.hostName = name;
        nixpkgs.hostPlatform = lib.modules.mkDefault system;
      }
    ];
  };
}
