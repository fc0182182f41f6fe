{ lib, namespace, host, ... }:
{
  # The builder: it serves aarch64-linux builds to pi, but has no
  # boot.binfmt.emulatedSystems for them.
  imports = [ (lib.snowfall.fs.get-file "shared/ssh.nix") ];

  ${namespace}.builders.host.enable = true;
  networking.domain = "lan";
  environment.etc."nixbuild-host".text = host;
}
