{ ... }:
{
  nix.linux-builder.enable = true;
  nix.settings.builders-use-substitutes = true;
  nix.buildMachines = [
    {
      hostName = "ritchie";
      sshUser = "nixremote";
      protocol = "ssh-ng";
      # ritchie is Linux: it cannot build for macOS, emulated or not.
      systems = [ "x86_64-linux" "aarch64-darwin" ];
    }
  ];
}
