{
  description = "Modules for a build machine (the source of the fetched-input fixture's input)";
  outputs = { self }: {
    nixosModules.builder = ./builder.nix;
  };
}
