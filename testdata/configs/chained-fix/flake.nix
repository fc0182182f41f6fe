{
  # Fixing the Pi's entry (it lacks aarch64-linux) makes the laptop need
  # emulation: --fix applies both in one run.
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { nixpkgs, ... }: {
    nixosConfigurations.pi = nixpkgs.lib.nixosSystem {
      system = "aarch64-linux";
      modules = [ ./hosts/pi.nix ];
    };
    nixosConfigurations.laptop = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [ ./hosts/laptop.nix ];
    };
  };
}
