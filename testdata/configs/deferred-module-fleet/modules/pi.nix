{
  configurations.nixos.pi.module = {
    nixpkgs.hostPlatform = "aarch64-linux";
  };
}
