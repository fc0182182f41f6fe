{
  # Inputs whose source is in the store (locked by the real nix flake lock
  # from ./inputs): a module the reader stops in (a lib function it lacks)
  # keeps the hosts' own definitions and is screened from its source; one
  # that defines none of the options a finding rests on leaves it an error,
  # one that can define it lowers it to info and is named; a module read
  # whole counts like the fleet's own files.
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11"; # not in the store: read statically
  inputs.secrets.url = "path:./inputs/secrets";
  inputs.helper.url = "path:./inputs/helper";

  outputs = { nixpkgs, secrets, helper, ... }: {
    nixosConfigurations = {
      pi = nixpkgs.lib.nixosSystem {
        system = "aarch64-linux";
        modules = [ secrets.nixosModules.default ./hosts/pi.nix ];
      };
      hub = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./hosts/hub.nix helper.nixosModules.trust ];
      };
      hub2 = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./hosts/hub.nix helper.nixosModules.emulation ];
      };
    };
  };
}
