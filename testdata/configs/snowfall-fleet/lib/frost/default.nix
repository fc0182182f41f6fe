{ lib, ... }:
{
  # A build machine entry for one of the fleet's builders.
  builder = host: systems: {
    hostName = "${host}.lan";
    inherit systems;
    sshUser = "nixremote";
    sshKey = "/root/.ssh/id_builder";
    maxJobs = 4;
  };
}
