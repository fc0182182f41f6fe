{ lib, ... }:
{
	nixpkgs.hostPlatform = "aarch64-linux";
	networking.hostName = "pi";

	nix = {
		distributedBuilds = true;
		buildMachines = [
			{
				hostName = "ritchie";
				protocol = "ssh-ng";
				systems = [ "x86_64-linux" "aarch64-linux" "armv7l-linux" ];
				maxJobs = 4;
			}
		];
	};
}
