{ flake, inputs, hostName }:
{
  class = "nixos";
  value = inputs.nixpkgs.lib.nixosSystem { modules = [ { nixpkgs.hostPlatform = "x86_64-linux"; } ]; };
}
