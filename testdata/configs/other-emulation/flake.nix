{
  # Builders whose emulation does not come from boot.binfmt.emulatedSystems:
  # a NixOS VM on Apple silicon with virtualisation.rosetta.enable (NixOS's
  # module registers Rosetta for x86_64 ELF and adds x86_64-linux to
  # extra-platforms), a builder with a hand-written boot.binfmt.registrations
  # entry for aarch64, and an OrbStack guest (OrbStack's VM runs x86_64
  # binaries itself; its NixOS config includes /opt/orbstack-guest). Each
  # runs what its entries are given: nothing to report.
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { nixpkgs, ... }:
    let
      host = system: modules: nixpkgs.lib.nixosSystem { inherit system modules; };
    in
    {
      nixosConfigurations = {
        laptop = host "x86_64-linux" [ ./hosts/laptop.nix ];
        utm = host "aarch64-linux" [ ./hosts/utm.nix ];
        qemu-box = host "x86_64-linux" [ ./hosts/qemu-box.nix ];
        orb = host "aarch64-linux" [ ./hosts/orb.nix ./hosts/orbstack.nix ];
      };
    };
}
