# The builder: x86_64-linux, emulating nothing.
{ flake, ... }:
{
  imports = [ flake.self.nixosModules.builder-user ];

  nixpkgs.hostPlatform = "x86_64-linux";
  networking.hostName = "hub";
  services.openssh.enable = true;
}
