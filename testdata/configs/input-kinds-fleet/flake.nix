{
  # Inputs known by what they are, not their names: nixpkgs as `stable`,
  # `unstable` and `nixos` (a registry name), nix-darwin as `mac`,
  # flake-parts as `fp` (written as type/owner/repo), home-manager as `hm`.
  inputs = {
    stable.url = "github:NixOS/nixpkgs/nixos-25.05";
    unstable.url = "git+https://github.com/NixOS/nixpkgs?ref=nixos-unstable&shallow=1";
    nixos.url = "nixpkgs/nixos-24.11";
    mac.url = "github:LnL7/nix-darwin";
    fp = {
      type = "github";
      owner = "hercules-ci";
      repo = "flake-parts";
    };
    hm.url = "github:nix-community/home-manager";
  };

  outputs = inputs@{ fp, ... }:
    fp.lib.mkFlake { inherit inputs; } {
      systems = [ "x86_64-linux" "aarch64-darwin" ];
      imports = [ ./hosts.nix ];
    };
}
