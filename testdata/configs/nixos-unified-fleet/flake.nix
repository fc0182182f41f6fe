{
  # A flake built with nixos-unified: mkFlake autowires the flake-parts
  # modules of ./modules/flake-parts, and hosts come from
  # self.nixos-unified.lib.mkLinuxSystem, whose modules get `flake`.
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
  inputs.flake-parts.url = "github:hercules-ci/flake-parts";
  inputs.nixos-unified.url = "github:srid/nixos-unified";

  outputs = inputs: inputs.nixos-unified.lib.mkFlake {
    inherit inputs;
    root = ./.;
  };
}
