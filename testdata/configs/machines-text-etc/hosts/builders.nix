{ ... }:
let
  builder = name: systems: "ssh-ng://root@${name} ${systems} - 4 1 big-parallel - -";
in
{
  # types.lines: this text is joined to pi.nix's.
  environment.etc."nix/machines".text = builder "ritchie" "i686-linux";
}
