{ ... }:
{
  networking.hostName = "pi";
  nix.distributedBuilds = true;
  nix.settings.builders-use-substitutes = true;
  # The login user comes from root's ssh config, merged with ssh-common.nix.
  programs.ssh.extraConfig = ''
    Host hub
      User builder
  '';
  nix.buildMachines = [
    { hostName = "hub"; systems = [ "x86_64-linux" "aarch64-linux" ]; maxJobs = 4; }
  ];
}
