{ builderKey, ... }:
{
  deployment.targetHost = "forge.lan";
  nix.settings.trusted-users = [ "root" ];
  users.users.root.openssh.authorizedKeys.keys = [ builderKey ];
}
