# clan imports hardware-configuration.nix on NixOS machines only: a
# nix-darwin machine never reads this file.
{ ... }:
{
  nix.settings.max-jobs = 0;
}
