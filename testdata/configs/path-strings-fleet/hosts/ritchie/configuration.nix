{ ... }:
{
  imports = [
    (./../../modules + "/builder.nix")
  ];
  networking.hostName = "ritchie";
}
