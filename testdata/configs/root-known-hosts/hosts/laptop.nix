{
  networking.hostName = "laptop";
  programs.ssh.knownHostsFiles = [ ../known_hosts ];
}
