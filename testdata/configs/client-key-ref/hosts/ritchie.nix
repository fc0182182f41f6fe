let keys = import ../keys.nix; in
{
  networking.hostName = "ritchie";
  users.users.nixremote = {
    isNormalUser = true;
    openssh.authorizedKeys.keys = with keys.hosts; [ laptop ];
  };
  nix.settings.trusted-users = [ "nixremote" ];
}
