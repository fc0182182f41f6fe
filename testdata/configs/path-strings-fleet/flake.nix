{
  # Modules named by strings made from paths ("${./dir}/file", ./dir + "/file"),
  # as real fleets write them; nixpkgs modules imported through modulesPath
  # and "${inputs.nixpkgs}" are listed by name, never silently skipped.
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = inputs@{ nixpkgs, ... }:
    let
      host = name: system: nixpkgs.lib.nixosSystem {
        inherit system;
        specialArgs = { inherit inputs; };
        modules = [ "${./hosts}/${name}/configuration.nix" ];
      };
    in
    {
      nixosConfigurations.pi = host "pi" "aarch64-linux";
      nixosConfigurations.ritchie = host "ritchie" "x86_64-linux";
    };
}
