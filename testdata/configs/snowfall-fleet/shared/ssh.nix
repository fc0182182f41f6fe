{
  services.openssh.settings.PermitRootLogin = "no";
}
