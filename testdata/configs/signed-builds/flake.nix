{
  # Clients that sign what they build (secret-key-files) and builders that
  # log them in as an untrusted user over ssh-ng: Nix 2.16 and later build
  # signed inputs for an untrusted user, so a builder that trusts the
  # client's key needs no trusted-users entry. laptop's key pair is
  # keys/signing-key.pub next to the secret-key-files name signing-key.sec;
  # pi's key is named after pi. vault trusts a key of the fleet that cannot
  # be told to be laptop's (info); old is reached with ssh://, where signing
  # does not help (error).
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { nixpkgs, ... }:
    let
      host = system: modules: nixpkgs.lib.nixosSystem { inherit system modules; };
    in
    {
      nixosConfigurations = {
        laptop = host "x86_64-linux" [ ./hosts/laptop.nix ];
        pi = host "aarch64-linux" [ ./hosts/pi.nix ];
        ritchie = host "x86_64-linux" [ ./hosts/builder.nix { networking.hostName = "ritchie"; nix.settings.trusted-public-keys = [ "laptop-cache-1:AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=" ]; } ];
        hub = host "aarch64-linux" [ ./hosts/builder.nix { networking.hostName = "hub"; nix.settings.extra-trusted-public-keys = [ "pi-1:ISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+P0A=" ]; } ];
        vault = host "x86_64-linux" [ ./hosts/builder.nix { networking.hostName = "vault"; nix.settings.trusted-public-keys = [ "ci-1:QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVpbXF1eX2A=" ]; } ];
        old = host "x86_64-linux" [ ./hosts/builder.nix { networking.hostName = "old"; nix.settings.trusted-public-keys = [ "laptop-cache-1:AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=" ]; } ];
      };
    };
}
