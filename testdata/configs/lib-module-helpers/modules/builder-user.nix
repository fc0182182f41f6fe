{ user }:
{ ... }:
{
  users.users.${user} = {
    isNormalUser = true;
    openssh.authorizedKeys.keys = [ "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBuilderKeyOfPiForRemoteBuildsExample0000 pi" ];
  };
}
