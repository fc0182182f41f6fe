{
  # A clan (clan-core) on flake-parts: clan-core's flake module, its input
  # named `clan`; machines from machines/<name>, the clan option and
  # inventory.json; a nix-darwin machine by its machineClass; an inventory
  # service role whose extraModules are the fleet's, given by tags.
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
  inputs.flake-parts.url = "github:hercules-ci/flake-parts";
  inputs.clan.url = "git+https://git.clan.lol/clan/clan-core";

  outputs = inputs@{ flake-parts, ... }:
    flake-parts.lib.mkFlake { inherit inputs; } {
      systems = [ "x86_64-linux" "aarch64-linux" "aarch64-darwin" ];
      imports = [
        inputs.clan.flakeModules.default
        ./clan.nix
      ];
      # The renamed option: clan and flake.clan are one clan.
      flake.clan.inventory.machines.mini.machineClass = "darwin";
    };
}
