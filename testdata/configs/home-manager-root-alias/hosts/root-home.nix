{ lib, ... }:
{
  programs.ssh.matchBlocks.builder = {
    hostname = "10.0.0.2";
    port = 2222;
    user = lib.mkDefault "nixremote";
  };
  # home-manager's newer form, with ssh's option names.
  programs.ssh.settings.cache = {
    HostName = "10.0.0.9";
    Port = 2200;
  };
  # A ~/.ssh/config written as a file: read after the matchBlocks.
  home.file.".ssh/config".text = ''
    Host cache
      User cacheuser
  '';
}
