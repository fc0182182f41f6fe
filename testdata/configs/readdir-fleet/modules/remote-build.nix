{ config, lib, ... }:
let
  cfg = config.fleet.remoteBuild;
in
{
  options.fleet.remoteBuild = {
    client.enable = lib.mkEnableOption "building on ritchie";
    builder.enable = lib.mkEnableOption "serving builds";
  };

  config = lib.mkMerge [
    (lib.mkIf cfg.client.enable {
      nix.distributedBuilds = true;
      nix.settings.builders-use-substitutes = true;
      nix.buildMachines = [{
        hostName = "ritchie";
        sshUser = "nixremote";
        protocol = "ssh-ng";
        systems = [ "x86_64-linux" "aarch64-linux" ];
        maxJobs = 4;
      }];
    })
    (lib.mkIf cfg.builder.enable {
      users.users.nixremote = {
        isNormalUser = true;
        openssh.authorizedKeys.keys = [ "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ2mXw4cQ7bH1yP9tR3uV6kL8nZ0aS5dF1gE7hW2qB4c root@fleet" ];
      };
      nix.settings.trusted-users = [ "nixremote" ];
      services.openssh.enable = true;
    })
  ];
}
