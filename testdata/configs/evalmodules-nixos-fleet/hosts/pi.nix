{ config, ... }:
{
  nixpkgs.hostPlatform = "aarch64-linux";
  networking.hostName = "pi";
  nix.distributedBuilds = true;
  nix.settings.max-jobs = 0;
  nix.settings.builders-use-substitutes = true;
  nix.buildMachines = [
    {
      hostName = "forge";
      sshUser = "remotebuild";
      sshKey = "/etc/nix/builder_ed25519";
      systems = [ "x86_64-linux" "aarch64-linux" ];
      maxJobs = 4;
    }
  ];
  # Implications chained, as Nix groups them: a -> (b -> c).
  assertions = [
    {
      assertion = config.nix.distributedBuilds -> config.nix.settings.max-jobs == 0 -> config.nix.buildMachines != [ ];
      message = "offloading everything needs a build machine";
    }
  ];
}
