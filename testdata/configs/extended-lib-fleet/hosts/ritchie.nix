{ outputs, ... }:
{
  imports = builtins.attrValues outputs.nixosModules;
  networking.hostName = "ritchie";
}
