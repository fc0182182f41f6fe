{ flake, modulesPath, ... }:
{
  imports = [ "${toString modulesPath}/profiles/qemu-guest.nix" ];
  nixpkgs.hostPlatform = flake.lib.builderSystem;
  networking.hostName = "ritchie";
  services.openssh.enable = true;
}
