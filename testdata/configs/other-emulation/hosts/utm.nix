{ ... }:
{
  networking.hostName = "utm";
  services.openssh.enable = true;
  virtualisation.rosetta.enable = true;
}
