{ ... }:
{
  networking.hostName = "pi";
  nix.extraOptions = ''
    secret-key-files = /run/secrets/nix-signing
  '';
  nix.distributedBuilds = true;
  nix.settings.builders-use-substitutes = true;
  nix.buildMachines = [
    { hostName = "hub"; sshUser = "nixremote"; protocol = "ssh-ng"; systems = [ "aarch64-linux" ]; }
  ];
}
