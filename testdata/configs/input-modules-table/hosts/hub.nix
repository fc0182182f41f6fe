{
  networking.hostName = "hub";
  services.openssh.enable = true;
  users.users.builder = {
    isNormalUser = true;
    openssh.authorizedKeys.keys = [ "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHubBuilderKeyOfPiForRemoteBuildsExample00 pi" ];
  };
}
