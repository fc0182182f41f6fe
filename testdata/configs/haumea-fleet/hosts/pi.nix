{ modules, ... }:
{
  system = "aarch64-linux";
  modules = [ modules.remote-builders { networking.hostName = "pi"; } ];
}
