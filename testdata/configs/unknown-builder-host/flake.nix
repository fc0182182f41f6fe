{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { nixpkgs, ... }:
    let
      lib = nixpkgs.lib;
    in
    {
      nixosConfigurations.pi = lib.nixosSystem {
        system = "aarch64-linux";
        modules = [
          ({ ... }: {
            nix.distributedBuilds = true;
            nix.buildMachines = [
              { hostName = "richie"; systems = [ "x86_64-linux" ]; }
              { hostName = "bigbox"; systems = [ "x86_64-linux" ]; }
              { hostName = "eu.nixbuild.net"; systems = [ "x86_64-linux" "aarch64-linux" ]; }
              { hostName = "192.168.1.20"; systems = [ "x86_64-linux" ]; }
              { hostName = "tiny"; systems = [ "x86_64-linux" ]; }
            ];
            programs.ssh.extraConfig = ''
              Host tiny
                HostName 192.168.1.21
                User nixremote
            '';
          })
        ];
      };
      nixosConfigurations.ritchie = lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ { networking.hostName = "ritchie"; } ];
      };
    };
}
