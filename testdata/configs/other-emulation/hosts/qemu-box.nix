{ ... }:
{
  networking.hostName = "qemu-box";
  services.openssh.enable = true;
  nix.settings.extra-platforms = [ "aarch64-linux" ];
  # A static qemu registered by hand (preserve-argv0 and fix-binary flags).
  boot.binfmt.registrations.qemu-aarch64 = {
    interpreter = "/run/qemu/qemu-aarch64-static";
    magicOrExtension = ''\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xb7\x00'';
    mask = ''\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff'';
    fixBinary = true;
    wrapInterpreterInShell = false;
  };
}
