{
  # Hosts declared through lite-config, a flake-parts module: each host is
  # hosts/<name> plus the system modules, its hostName set to its name.
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
  inputs.flake-parts.url = "github:hercules-ci/flake-parts";
  inputs.lite-config.url = "github:yelite/lite-config";

  outputs = inputs@{ flake-parts, ... }:
    flake-parts.lib.mkFlake { inherit inputs; } {
      systems = [ "x86_64-linux" "aarch64-linux" ];
      imports = [ inputs.lite-config.flakeModule ];

      lite-config = {
        hostModuleDir = ./hosts;
        hosts = {
          pi.system = "aarch64-linux";
          hub.system = "x86_64-linux";
        };
        systemModules = [
          ({ hostPlatform, ... }: { services.openssh.enable = hostPlatform.isx86_64; })
        ];
      };
    };
}
