{ nodes, ... }:
{
  deployment.targetHost = "pi.lan";
  nix.distributedBuilds = true;
  nix.settings.builders-use-substitutes = true;
  nix.buildMachines = [
    {
      hostName = nodes.forge.config.networking.hostName;
      systems = [ "x86_64-linux" "aarch64-linux" ];
      sshUser = "root";
      sshKey = "/root/.ssh/id_builder";
      maxJobs = 4;
    }
  ];
}
