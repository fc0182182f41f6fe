{
  # Machines of a clan (clan-core's lib.clan): machines/<name>/configuration.nix
  # and the inventory's machines; each gets its name as hostName.
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
  inputs.clan-core.url = "git+https://git.clan.lol/clan/clan-core";

  outputs = inputs@{ self, clan-core, ... }:
    let
      clan = clan-core.lib.clan {
        inherit self;
        meta.name = "home";
        inventory.machines = {
          hub.deploy.targetHost = "root@hub";
          pi.deploy.targetHost = "root@pi";
        };
      };
    in
    {
      inherit (clan.config) nixosConfigurations darwinConfigurations;
    };
}
