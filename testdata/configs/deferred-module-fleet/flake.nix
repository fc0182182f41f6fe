{
  # Hosts declared as configurations.nixos.<host>.module, an option of type
  # deferredModule that several flake modules define: the host's module
  # imports every definition (the dendritic pattern's wiring).
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.05";
    flake-parts.url = "github:hercules-ci/flake-parts";
  };

  outputs = inputs@{ flake-parts, ... }:
    flake-parts.lib.mkFlake { inherit inputs; } {
      systems = [ "x86_64-linux" ];
      imports = [ ./modules/wiring.nix ./modules/forge.nix ./modules/pi.nix ./modules/builders.nix ];
    };
}
