{
  networking.hostName = "pi";
  nix.distributedBuilds = true;
  nix.settings.builders-use-substitutes = true;
  nix.buildMachines = [
    {
      hostName = "ritchie";
      sshUser = "nixremote";
      sshKey = "/etc/ssh/ssh_host_ed25519_key";
      systems = [ "x86_64-linux" ];
      publicHostKey = "c3NoLWVkMjU1MTkgQUFBQUMzTnphQzFsWkRJMU5URTVBQUFBSU9kay9hRVV1OVBJc2lWM0hxbHM4LzBqTFZUWVRaamoyV2dHeHF4T3pCRWIgcm9vdEByaXRjaGllX29sZAo=";
    }
    {
      hostName = "big";
      sshUser = "nixremote";
      sshKey = "/etc/ssh/ssh_host_ed25519_key";
      systems = [ "x86_64-linux" ];
    }
  ];
}
