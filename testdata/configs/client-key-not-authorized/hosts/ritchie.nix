let keys = import ../keys.nix; in
{
  networking.hostName = "ritchie";
  users.users.nixremote = {
    isNormalUser = true;
    openssh.authorizedKeys.keys = [
      keys.hosts.ci
    ];
  };
  nix.settings.trusted-users = [ "nixremote" ];
  system.stateVersion = "24.05";
}
