{
  nix.distributedBuilds = true;
  nix.settings.builders-use-substitutes = true;
  system.stateVersion = "24.05";
}
