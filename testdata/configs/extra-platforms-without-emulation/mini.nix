{ ... }:
{
  networking.hostName = "mini";
  nix.settings.extra-platforms = [ "aarch64-darwin" ];
}
