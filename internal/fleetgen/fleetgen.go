// Package fleetgen writes synthetic fleets for benchmarks and the
// differential parser test: N hosts of five modules each, every tenth host
// a builder, in the mix of styles real fleets use (dotted and nested
// options, let bindings, mkIf/mkDefault, a helper in flake.nix with path
// interpolation, shared modules).
package fleetgen

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Write creates the fleet under dir and returns the number of bytes of Nix
// written.
func Write(dir string, hosts int) (int, error) {
	total := 0
	write := func(rel, content string) error {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		total += len(content)
		return os.WriteFile(p, []byte(content), 0o644)
	}
	var names []string
	for i := 0; i < hosts; i++ {
		names = append(names, name(i))
	}
	var b strings.Builder
	b.WriteString(`{
  description = "generated fleet";
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { self, nixpkgs, ... }@inputs:
    let
      inherit (nixpkgs) lib;
      mkHost = name: system: lib.nixosSystem {
        inherit system;
        specialArgs = { inherit inputs; };
        modules = [ ./hosts/${name} ./modules/common.nix { networking.hostName = name; } ];
      };
    in
    {
      nixosConfigurations = {
`)
	for i, n := range names {
		fmt.Fprintf(&b, "        %s = mkHost %q %q;\n", n, n, system(i))
	}
	b.WriteString("      };\n    };\n}\n")
	if err := write("flake.nix", b.String()); err != nil {
		return 0, err
	}
	if err := write("modules/common.nix", `{ lib, ... }:
{
  services.openssh.enable = lib.mkDefault true;
  nix.settings.experimental-features = [ "nix-command" "flakes" ];
  time.timeZone = "UTC";
}
`); err != nil {
		return 0, err
	}
	for i, n := range names {
		files := hostFiles(i)
		for rel, content := range files {
			if err := write(filepath.Join("hosts", n, rel), content); err != nil {
				return 0, err
			}
		}
	}
	return total, nil
}

func name(i int) string {
	if i%10 == 0 {
		return fmt.Sprintf("builder%03d", i/10)
	}
	return fmt.Sprintf("host%04d", i)
}

func system(i int) string {
	if i%10 != 0 && i%3 == 0 {
		return "aarch64-linux"
	}
	return "x86_64-linux"
}

func hostFiles(i int) map[string]string {
	files := map[string]string{}
	files["default.nix"] = fmt.Sprintf(`{ config, lib, pkgs, ... }:
{
  imports = [
    ./hardware-configuration.nix
    ./networking.nix
    ./nix.nix
    ./users.nix
  ];

  boot.loader.systemd-boot.enable = true;
  boot.loader.efi.canTouchEfiVariables = true;
  environment.systemPackages = with pkgs; [ vim git htop ];
  system.stateVersion = "24.11";
  # host %d
}
`, i)
	files["hardware-configuration.nix"] = fmt.Sprintf(`{ config, lib, pkgs, modulesPath, ... }:

{
  imports = [ (modulesPath + "/installer/scan/not-detected.nix") ];

  boot.initrd.availableKernelModules = [ "xhci_pci" "ahci" "nvme" "usb_storage" "sd_mod" ];
  boot.kernelModules = [ "kvm-intel" ];
  fileSystems."/" = {
    device = "/dev/disk/by-uuid/%08x-0000-0000-0000-000000000000";
    fsType = "ext4";
  };
  swapDevices = [ ];
  hardware.cpu.intel.updateMicrocode = lib.mkDefault config.hardware.enableRedistributableFirmware;
}
`, i)
	files["networking.nix"] = fmt.Sprintf(`{ lib, ... }:
let
  domain = "fleet.example";
in
{
  networking = {
    domain = domain;
    firewall.allowedTCPPorts = [ 22 80 443 ];
    interfaces.eth0.ipv4.addresses = [ { address = "10.%d.%d.%d"; prefixLength = 24; } ];
  };
}
`, i/65536%256, i/256%256, i%256)
	if i%10 == 0 {
		files["nix.nix"] = `{ config, lib, pkgs, ... }:
{
  boot.binfmt.emulatedSystems = [ "aarch64-linux" ];
  nix.settings = {
    trusted-users = [ "nixremote" ];
    max-jobs = lib.mkDefault 8;
  };
}
`
		files["users.nix"] = `{ pkgs, ... }:
{
  users.users.nixremote = {
    isSystemUser = true;
    group = "nixremote";
    shell = pkgs.bashInteractive;
    openssh.authorizedKeys.keys = [ "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG8YbGZp1r0oQ7y5j1mJt3kK0c7wq2rXo9bB1uJxVv4Q root@fleet" ];
  };
  users.groups.nixremote = { };
}
`
	} else {
		b := name(i / 10 * 10)
		files["nix.nix"] = fmt.Sprintf(`{ config, lib, ... }:
let
  builder = %q;
in
{
  nix.distributedBuilds = true;
  nix.settings.builders-use-substitutes = true;
  nix.buildMachines = lib.mkIf config.nix.distributedBuilds [
    {
      hostName = builder;
      sshUser = "nixremote";
      sshKey = "/root/.ssh/nixremote";
      protocol = "ssh-ng";
      systems = [ "x86_64-linux" "aarch64-linux" ];
      maxJobs = 4;
      supportedFeatures = [ "big-parallel" "benchmark" ];
    }
  ];
}
`, b)
		files["users.nix"] = `{ ... }:
{
  users.users.alice = {
    isNormalUser = true;
    extraGroups = [ "wheel" ];
  };
}
`
	}
	return files
}
