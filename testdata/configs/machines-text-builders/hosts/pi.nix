{ ... }:
{
  nix.distributedBuilds = true;
  nix.settings.max-jobs = 0;
  # Written as Nix's builders string: ritchie takes x86_64-linux only.
  nix.settings.builders = "ssh://ritchie x86_64-linux - 4 ; ssh://ritchie i686-linux - 2";
}
