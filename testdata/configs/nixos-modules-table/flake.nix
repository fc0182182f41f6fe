{
  # NixOS modules imported by path, whose source is not here (nixpkgs is
  # not in the store): the project's table says what each defines. The
  # SD-card image and the minimal profile define none of the options the
  # findings on pi rest on, so those stay errors; proxmox-lxc enables sshd,
  # so "box runs no SSH server" is only info, naming it and that option.
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = inputs@{ nixpkgs, ... }: {
    nixosConfigurations = {
      laptop = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./hosts/laptop.nix ];
      };
      pi = nixpkgs.lib.nixosSystem {
        system = "aarch64-linux";
        specialArgs = { inherit inputs; };
        modules = [ ./hosts/pi.nix ];
      };
      box = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./hosts/box.nix ];
      };
    };
  };
}
