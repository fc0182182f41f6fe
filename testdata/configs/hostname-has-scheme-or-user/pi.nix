{ ... }:
{
  networking.hostName = "pi";
  nix.distributedBuilds = true;
  nix.settings.builders-use-substitutes = true;
  nix.buildMachines = [
    { hostName = "ssh-ng://nixremote@ritchie"; sshUser = "nixremote"; protocol = "ssh-ng"; systems = [ "x86_64-linux" ]; }
    { hostName = "ritchie:2222"; sshUser = "nixremote"; systems = [ "aarch64-linux" ]; }
    # Not ssh: a store plugin's URI, written whole with protocol = null.
    { hostName = "grpc://cache.example.org:50051"; protocol = null; systems = [ "x86_64-linux" ]; }
  ];
}
