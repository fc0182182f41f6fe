{
  nix.settings.trusted-users = [ "remotebuild" ];
}
