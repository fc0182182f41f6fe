{
  # Left out by import-tree (its name starts with _): forge does not
  # emulate riscv64-linux.
  boot.binfmt.emulatedSystems = [ "riscv64-linux" ];
}
