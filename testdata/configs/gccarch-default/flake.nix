{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { self, nixpkgs }: {
    nixosConfigurations = {
      desk = nixpkgs.lib.nixosSystem { system = "x86_64-linux"; modules = [ ./hosts/desk.nix ]; };
      tower = nixpkgs.lib.nixosSystem { system = "x86_64-linux"; modules = [ ./hosts/tower.nix ]; };
      # An aarch64 NixOS host: its platform's gcc.arch is armv8-a, so NixOS's
      # default system-features include gccarch-armv8-a.
      arm = nixpkgs.lib.nixosSystem { system = "aarch64-linux"; modules = [ ./hosts/arm.nix ]; };
    };
  };
}
