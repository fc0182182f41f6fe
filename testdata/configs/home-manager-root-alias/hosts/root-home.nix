{ lib, ... }:
{
  programs.ssh.matchBlocks.builder = {
    hostname = "10.0.0.2";
    port = 2222;
    user = lib.mkDefault "nixremote";
  };
}
