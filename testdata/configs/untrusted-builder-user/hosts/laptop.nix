{ ... }:
{
  nix.distributedBuilds = true;
  nix.buildMachines = [
    {
      hostName = "builder";
      sshUser = "nixremote";
      sshKey = "/root/.ssh/nixremote";
      protocol = "ssh-ng";
      systems = [ "x86_64-linux" ];
    }
  ];
}
