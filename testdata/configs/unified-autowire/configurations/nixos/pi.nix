# A Raspberry Pi sending its own builds to hub.
{ flake, ... }:
{
  imports = [ (flake.inputs.self + /modules/nixos/client.nix) ];

  nixpkgs.hostPlatform = "aarch64-linux";
  networking.hostName = "pi";
}
