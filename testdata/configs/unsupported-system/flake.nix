{
	inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

	outputs = { self, nixpkgs, ... }: {
		nixosConfigurations = {
			pi = nixpkgs.lib.nixosSystem {
				modules = [ ./hosts/pi ];
			};
			ritchie = nixpkgs.lib.nixosSystem {
				system = "x86_64-linux";
				modules = [ ./hosts/ritchie ];
			};
		};
	};
}
