# Implications chained, as Nix groups them: a -> (b -> c), weaker than ||.
{ config, lib, ... }:
{
  assertions = [
    {
      assertion = config.vr.enable -> config.vr.encoder == "nvenc" -> (config.hardware.nvidia.enabled or false);
      message = "nvenc needs NVIDIA -> enable it";
    }
    { assertion = config.a || config.b -> config.c -> config.d && config.e; message = ''-> in a string''; }
  ];
}
