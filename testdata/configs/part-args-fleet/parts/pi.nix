{ inputs, partName, ... }:
{
  flake.nixosConfigurations.${partName} = inputs.nixpkgs.lib.nixosSystem {
    system = "aarch64-linux";
    modules = [
      {
        networking.hostName = partName;
        nix.distributedBuilds = true;
        nix.buildMachines = [
          {
            hostName = "forge";
            systems = [ "x86_64-linux" "aarch64-linux" ];
            sshUser = "root";
            sshKey = "/root/.ssh/id_builder";
            maxJobs = 4;
          }
        ];
      }
    ];
  };
}
