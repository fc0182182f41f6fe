{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { nixpkgs, ... }: {
    nixosConfigurations.laptop = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [
        ({ ... }: {
          nix.distributedBuilds = true;
          nix.buildMachines = [
            { hostName = "ci.example.org"; systems = [ "x86_64-linux" ]; sshKey = ./keys/id_builder; }
            { hostName = "ci2.example.org"; systems = [ "x86_64-linux" ]; sshKey = "${./keys/id_builder}"; }
            { hostName = "ci3.example.org"; systems = [ "x86_64-linux" ]; sshKey = "/root/.ssh/id_builder"; }
          ];
        })
      ];
    };
  };
}
