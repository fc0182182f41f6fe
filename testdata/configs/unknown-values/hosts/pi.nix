{ config, lib, pkgs, ... }:
{
  nix.distributedBuilds = true;
  nix.settings.max-jobs = 0;
  nix.buildMachines = [
    # systems come from a package set the reader does not have
    { hostName = "ritchie"; systems = pkgs.builderSystems; sshUser = "nixremote"; }
    # a feature list from a function of an unknown value
    { hostName = "ritchie"; systems = [ "x86_64-linux" ]; supportedFeatures = lib.optionals (pkgs.cudaSupport) [ "cuda" ]; }
    { hostName = config.my.builderName; systems = [ "aarch64-linux" ]; }
  ];
}
