{ config, lib, ... }:
{
  imports = [ (lib.mkRenamedOptionModule [ "secrets" "dir" ] [ "secrets" "path" ]) ];
  options.secrets.path = lib.mkOption { default = "/run/secrets"; };
  config = lib.mkMerge [
    { systemd.tmpfiles.rules = [ "d ${config.secrets.path} 0750 root root -" ]; }
    # A lib function the reader lacks, above the options the rules read.
    { nix = lib.mkSinkUndeclaredOptions { }; }
  ];
}
