{
  # Build machines whose names are root's ssh aliases written where the
  # reader used not to look: root's home-manager ssh configuration
  # (programs.ssh.settings, the new name of matchBlocks) and an ssh_config
  # text kept in a file of the tree that the hosts do not
  # import (info: it may be root's). A host:port hostName on a host that
  # chooses its Nix (nixVersions.latest) is only advice: Nix 2.31 and later
  # accept it.
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { nixpkgs, ... }: {
    nixosConfigurations = {
      laptop = nixpkgs.lib.nixosSystem { system = "x86_64-linux"; modules = [ ./hosts/laptop.nix ]; };
    };
  };
}
