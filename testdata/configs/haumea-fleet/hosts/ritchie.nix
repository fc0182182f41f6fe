{ modules, ... }:
{
  system = "x86_64-linux";
  modules = [ modules.builder { networking.hostName = "ritchie"; } ];
}
