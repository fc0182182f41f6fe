{ nix-darwin, ... }:
builtins.listToAttrs (map
  (name: {
    inherit name;
    value = nix-darwin.lib.darwinSystem {
      system = "aarch64-darwin";
      modules = [ ./client.nix { networking.hostName = name; } ];
    };
  })
  [ "ci-mac-1" "ci-mac-2" ])
