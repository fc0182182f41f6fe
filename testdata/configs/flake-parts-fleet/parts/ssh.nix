{
  # One half of the shared module; parts/builders.nix defines the other.
  flake.nixosModules.common = {
    services.openssh.enable = true;
  };
}
