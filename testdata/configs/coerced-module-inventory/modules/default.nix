{
  fleet.nixosModules = {
    remote-builder = ./remote-builder.nix;
    emulation = { module = ./emulation.nix; extraArgs = { emulated = [ "aarch64-linux" ]; }; };
  };
}
