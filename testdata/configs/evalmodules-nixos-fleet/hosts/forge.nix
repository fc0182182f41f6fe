{ agenix, ... }:
{
  environment.systemPackages = [ agenix.packages.default ];
  nixpkgs.hostPlatform = "x86_64-linux";
  networking.hostName = "forge";
  services.openssh.enable = true;
  users.users.remotebuild = {
    isNormalUser = true;
    openssh.authorizedKeys.keys = [ "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHXs0YRhFzIOWjzDUuhmCeLbW0sqaqXqnbAt7tdZuZqd builders" ];
  };
  nix.settings.trusted-users = [ "remotebuild" ];
}
