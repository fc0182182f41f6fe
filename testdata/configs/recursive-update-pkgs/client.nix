{ ... }:
{
  nix.distributedBuilds = true;
  nix.buildMachines = [
    {
      hostName = "ritchie";
      sshUser = "nixremote";
      sshKey = "/root/.ssh/nixremote";
      protocol = "ssh-ng";
      systems = [ "x86_64-linux" "aarch64-linux" ];
      maxJobs = 4;
    }
    # A VM on pi itself (ssh forwards a port of localhost): not ritchie,
    # although ritchie serves a virtual host named localhost.
    {
      hostName = "localhost";
      sshUser = "builder";
      sshKey = "/root/.ssh/vm";
      systems = [ "x86_64-linux" ];
      maxJobs = 2;
    }
  ];
}
