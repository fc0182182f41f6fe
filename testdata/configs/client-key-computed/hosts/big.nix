let keys = import ../keys.nix; in
{
  networking.hostName = "big";
  users.users.nixremote = {
    isNormalUser = true;
    openssh.authorizedKeys.keys = map (n: keys.hosts.${n}) [ "laptop" ];
  };
  nix.settings.trusted-users = [ "nixremote" ];
}
