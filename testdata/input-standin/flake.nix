{
  # Stand-in for flake inputs other than nixpkgs (hardware profiles, home-manager, …)
  # in the offline --eval nix tests: their modules define nothing the model reads.
  description = "nixbuild-lint stand-in flake input";
  outputs = { self }:
    {
      nixosModules = builtins.listToAttrs (map (n: { name = n; value = { }; }) [ "default" "raspberry-pi-4" "home-manager" "sops" ]);
      darwinModules = { };
    };
}
