{ config, lib, pkgs, ... }:
{
  nix.distributedBuilds = true;
  nix.settings.builders-use-substitutes = true;
  # Its own system is in no list the reader can see; no-builder-for-system must stay quiet.
  # nixbuild-lint: ignore max-jobs-zero-blocks-local -- the Pi must never build
  nix.settings.max-jobs = 0;
  nix.buildMachines = [
    # systems come from a package set the reader does not have, and so do the features
    {
      hostName = "ritchie";
      systems = pkgs.builderSystems;
      sshUser = "nixremote";
      supportedFeatures = lib.optionals pkgs.cudaSupport [ "cuda" ];
    }
    { hostName = config.my.builderName; systems = [ "aarch64-linux" ]; }
  ];
}
