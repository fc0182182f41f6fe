{ den, ... }:
{
  den.aspects.pi = {
    includes = [ den.aspects.remote-builds ];
    nixos = {
      nix.settings.max-jobs = 1;
    };
  };
}
