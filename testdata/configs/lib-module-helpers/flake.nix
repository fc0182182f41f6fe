{
  # nixpkgs lib's option helpers (mkRenamedOptionModule and its kin,
  # doRename, importApply) as NixOS modules of the fleet use them: each
  # forwards (or drops) definitions of an old name; the parity test checks
  # the model against the real lib.
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { nixpkgs, ... }: {
    nixosConfigurations = {
      pi = nixpkgs.lib.nixosSystem {
        system = "aarch64-linux";
        modules = [ ./hosts/pi.nix ./modules/renames.nix ];
      };
      hub = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./hosts/hub.nix ./modules/renames.nix (nixpkgs.lib.modules.importApply ./modules/builder-user.nix { user = "nixremote"; }) ];
      };
    };
  };
}
