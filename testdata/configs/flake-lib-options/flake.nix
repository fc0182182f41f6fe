{
  # The aspects' option declarations come from the flake's own lib
  # (flake.lib, lazyAttrsOf raw), read back through self.lib; each host's
  # modules are its aspects' nixos modules, found through their requires.
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
  inputs.flake-parts.url = "github:hercules-ci/flake-parts";
  outputs = inputs@{ flake-parts, ... }: flake-parts.lib.mkFlake { inherit inputs; } {
    systems = [ "x86_64-linux" "aarch64-linux" ];
    imports = [ ./lib.nix ./aspects.nix ./hosts.nix ];
  };
}
