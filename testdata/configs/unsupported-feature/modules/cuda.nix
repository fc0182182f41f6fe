{ lib, ... }:
{
  hardware.nvidia.open = true;
  # Meant to add cuda; replaces the whole default list instead.
  nix.settings.system-features = [ "big-parallel" "cuda" ];
}
