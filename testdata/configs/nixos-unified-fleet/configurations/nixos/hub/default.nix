{ flake, ... }:
let
  inherit (flake) inputs;
in
{
  nixpkgs.hostPlatform = "x86_64-linux";
  networking.hostName = "hub";
  services.openssh.enable = true;
}
