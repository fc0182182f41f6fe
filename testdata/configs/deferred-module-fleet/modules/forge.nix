{
  configurations.nixos.forge.module = {
    nixpkgs.hostPlatform = "x86_64-linux";
    services.openssh.enable = true;
    nix.settings.trusted-users = [ "root" ];
  };
}
