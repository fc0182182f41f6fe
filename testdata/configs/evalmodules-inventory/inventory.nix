{
  hosts.forge.modules = [ ./builder.nix ];
  hosts.pi = {
    system = "aarch64-linux";
    modules = [ ./client.nix ];
  };
}
