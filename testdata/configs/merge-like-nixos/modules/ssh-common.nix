{ ... }:
{
  programs.ssh.extraConfig = ''
    Host git.example.org
      User git
  '';
}
