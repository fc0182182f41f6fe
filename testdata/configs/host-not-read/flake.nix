{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
    framework.url = "github:example/framework";
  };

  outputs = { nixpkgs, framework, ... }: {
    nixosConfigurations = {
      pi = nixpkgs.lib.nixosSystem {
        system = "aarch64-linux";
        modules = [ ./hosts/pi.nix ];
      };
      # Built by another flake's helper, whose source is not here.
      ritchie = framework.lib.mkSystem { name = "ritchie"; };
    };
  };
}
