{ ... }:
{
  networking.hostName = "pi";
  nix.distributedBuilds = true;
  nix.settings.builders-use-substitutes = true;
  nix.buildMachines = [
    {
      hostName = "ritchie";
      sshUser = "nix-ssh";
      protocol = "ssh-ng";
      systems = [ "x86_64-linux" "aarch64-linux" ];
    }
  ];
}
