{ ... }:
{
  imports = [ ../modules/cuda.nix ];
  networking.hostName = "gpubox";
  services.openssh.enable = true;
}
