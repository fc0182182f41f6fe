{
  # A typo: the file is hardware-configuration.nix.
  imports = [ ./hardware-configuraton.nix ];
  networking.hostName = "ritchie";
}
