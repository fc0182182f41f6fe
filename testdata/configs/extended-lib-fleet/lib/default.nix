{ lib, outputs }:
{
  builderUser = "nixremote";
  mkHost = name: system: lib.nixosSystem {
    inherit system;
    # The modules' lib is this extended one, as NixOS does with specialArgs.
    specialArgs = { inherit lib outputs; };
    modules = [ ../hosts/${name}.nix ];
  };
}
