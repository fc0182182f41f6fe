{
  imports = [ ./builder.nix ];
  networking.hostName = "hub";
  services.nebula.networks.mesh.isLighthouse = true;
}
