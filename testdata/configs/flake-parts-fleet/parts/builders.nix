{
  flake.nixosModules.common = { lib, ... }: {
    nix.settings.trusted-users = [ "root" ];
    system.stateVersion = lib.mkDefault "24.05";
  };
}
