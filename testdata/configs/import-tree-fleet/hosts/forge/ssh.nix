{
  services.openssh.enable = true;
}
