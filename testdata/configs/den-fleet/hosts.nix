{
  den.hosts.aarch64-linux.pi.users.alice = { };
  den.hosts.x86_64-linux.ritchie.users.alice = { };
}
