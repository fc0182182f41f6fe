{ ... }:
{
  nix.distributedBuilds = true;
  nix.settings.builders-use-substitutes = true;
  # A builders line of nix.extraOptions replaces nix.settings' (none here).
  nix.extraOptions = ''
    builders = ssh://ritchie aarch64-linux - 2
  '';
}
