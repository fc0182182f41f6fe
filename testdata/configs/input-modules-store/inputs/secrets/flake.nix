{ outputs = { self }: { nixosModules.default = ./module.nix; }; }
