{
  # Configurations that share one networking.hostName: a host and the SD
  # image of it (rpi4, rpi4-sd), a server and its installer ISO whose
  # attribute names both differ from the host name (nas-server,
  # nas-installation, which imports the installer module), a router and its
  # trimmed variant (router-main, router-min), and two variants of one
  # desktop (desktop-amd, desktop-nvidia). A build machine "rpi4" is host
  # rpi4, "nas" is nas-server, "router" is router-main, and "desktop" is
  # either desktop: it is named as ambiguous, not checked.
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { nixpkgs, ... }:
    let
      host = system: modules: nixpkgs.lib.nixosSystem { inherit system modules; };
    in
    {
      nixosConfigurations = {
        laptop = host "x86_64-linux" [ ./hosts/laptop.nix ];
        rpi4 = host "aarch64-linux" [ ./hosts/rpi4.nix ];
        rpi4-sd = host "aarch64-linux" [ ./hosts/rpi4.nix ./hosts/sd-image.nix ];
        nas-server = host "aarch64-linux" [ ./hosts/nas.nix ];
        nas-installation = host "aarch64-linux" [ ./hosts/nas.nix ./hosts/iso.nix ];
        router-main = host "x86_64-linux" [ ./hosts/router.nix ];
        router-min = host "x86_64-linux" [ ./hosts/router.nix ];
        desktop-amd = host "x86_64-linux" [ ./hosts/desktop.nix ];
        desktop-nvidia = host "x86_64-linux" [ ./hosts/desktop.nix ];
      };
    };
}
