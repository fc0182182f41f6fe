{ lib, ... }:
{
  options.programs.foo.enable = lib.mkEnableOption "foo";
}
