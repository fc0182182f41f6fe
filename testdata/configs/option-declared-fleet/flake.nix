{
  # A client sets up its build machine only where the option programs.foo
  # exists (`options.programs ? foo`, as theme frameworks guard a target):
  # foo.nix, a module desk imports, declares it, so the condition is true and
  # the build machine is read.
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.05";

  outputs = { self, nixpkgs, ... }:
    let
      mkHost = name: modules: nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = modules ++ [ { networking.hostName = name; } ];
      };
    in
    {
      nixosConfigurations = {
        forge = mkHost "forge" [ ./builder.nix ];
        desk = mkHost "desk" [ ./foo.nix ./client.nix ];
      };
    };
}
