{
  # The package sets are merged with lib.recursiveUpdate: each names its
  # identifier, and each is also an `import nixpkgs { … }` (a set whose
  # names the static reader cannot list). The hosts' module lists are
  # chosen by that identifier.
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { self, nixpkgs, ... }:
    let
      inherit (nixpkgs.lib) recursiveUpdate;
      systems = [ "x86_64-linux" "aarch64-linux" ];
      identifiers = builtins.foldl' (acc: system: acc // {
        "${system}-unstable" = { identifier = "${system}-unstable"; inherit system; };
      }) { } systems;
      imported = builtins.foldl' (acc: system: acc // {
        "${system}-unstable" = import nixpkgs { inherit system; config.allowUnfree = true; };
      }) { } systems;
      package-sets = recursiveUpdate identifiers imported;
      modules = {
        x86_64-linux-unstable = [ ./common.nix ];
        aarch64-linux-unstable = [ ./common.nix ./client.nix ];
      };
      host = package-set: name:
        let inherit (package-set) identifier system; in
        nixpkgs.lib.nixosSystem {
          inherit system;
          modules = modules.${identifier} ++ [ ./hosts/${name}.nix ];
        };
    in
    {
      nixosConfigurations = {
        ritchie = host package-sets.x86_64-linux-unstable "ritchie";
        pi = host package-sets.aarch64-linux-unstable "pi";
      };
    };
}
