let keys = import ../keys.nix; in
{
  # The builders pin each other's keys.
  programs.ssh.knownHosts = {
    ritchie.publicKey = keys.ritchie;
    big.publicKey = keys.big;
  };
  services.openssh.enable = true;
  users.users.nixremote = {
    isNormalUser = true;
    openssh.authorizedKeys.keys = [ keys.pi keys.ci keys.laptop ];
  };
  nix.settings.trusted-users = [ "nixremote" ];
  system.stateVersion = "24.05";
}
