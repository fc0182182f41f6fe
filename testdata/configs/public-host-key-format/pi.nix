{ ... }:
{
  networking.hostName = "pi";
  nix.distributedBuilds = true;
  nix.settings.builders-use-substitutes = true;
  nix.buildMachines = [
    {
      hostName = "ritchie";
      sshUser = "nixremote";
      systems = [ "x86_64-linux" "aarch64-linux" ];
      publicHostKey = "AAAAC3NzaC1lZDI1NTE5AAAAIG8YbGZp1r0oQ7y5j1mJt3kK0c7wq2rXo9bB1uJxVv4Q";
    }
  ];
}
