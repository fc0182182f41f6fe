# ssh_config text a home wrapper of the fleet writes to ~/.ssh/config of
# every user, root included (the hosts do not import it directly).
{
  text = ''
    Host nixbuilder
      HostName 10.0.0.1
      Port 22143
  '';
}
