{ config, pkgs, ... }:
{
	networking.hostName = "ritchie";

	boot = {
		loader.systemd-boot.enable = true;
		binfmt.emulatedSystems = [ "riscv64-linux" ];
	};

	services.openssh.enable = true;
}
