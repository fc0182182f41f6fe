{ ... }:
{
  networking.hostName = "laptop";
  nix.settings.secret-key-files = [ "/var/lib/nix/signing-key.sec" ];
  nix.distributedBuilds = true;
  nix.settings.builders-use-substitutes = true;
  nix.buildMachines = [
    { hostName = "ritchie"; sshUser = "nixremote"; protocol = "ssh-ng"; systems = [ "x86_64-linux" ]; }
    { hostName = "vault"; sshUser = "nixremote"; protocol = "ssh-ng"; systems = [ "x86_64-linux" ]; }
    { hostName = "old"; sshUser = "nixremote"; systems = [ "x86_64-linux" ]; }
  ];
}
