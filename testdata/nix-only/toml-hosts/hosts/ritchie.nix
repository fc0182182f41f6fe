{ ... }:
{
  
  services.openssh.enable = true;
}
