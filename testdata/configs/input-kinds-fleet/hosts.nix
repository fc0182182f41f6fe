{ inputs, ... }:
{
  flake.nixosConfigurations = {
    # The builder, on the stable channel.
    forge = inputs.stable.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [ ./forge.nix ];
    };
    # A client on unstable that builds on forge.
    desk = inputs.unstable.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [ ./client.nix { networking.hostName = "desk"; } ];
    };
    # An old box through the registry name.
    attic = inputs.nixos.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [ ./client.nix { networking.hostName = "attic"; } ];
    };
  };
  flake.darwinConfigurations.mbp = inputs.mac.lib.darwinSystem {
    system = "aarch64-darwin";
    modules = [ ./client.nix { networking.hostName = "mbp"; } ];
  };
}
