let keys = import ../keys.nix; in
{
  networking.hostName = "big";
  users.users.nixremote = {
    isNormalUser = true;
    openssh.authorizedKeys.keys = [
      keys.hosts.laptop
    ];
  };
  nix.settings.trusted-users = [ "nixremote" ];
}
