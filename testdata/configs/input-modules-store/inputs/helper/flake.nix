{
  outputs = { self }: {
    nixosModules.trust = { nix.settings.trusted-users = [ "nixremote" ]; };
    nixosModules.emulation = ./emulation.nix;
  };
}
