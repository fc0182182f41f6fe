{
  # b2's entry was copied from b1's and kept b1's host key (only the
  # comment differs): ssh refuses b2. b3 has its own key.
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { nixpkgs, ... }: {
    nixosConfigurations.laptop = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [{
        nix.distributedBuilds = true;
        nix.settings.builders-use-substitutes = true;
        nix.buildMachines = [
          { hostName = "b1.example.org"; systems = [ "x86_64-linux" ]; maxJobs = 8; publicHostKey = "c3NoLWVkMjU1MTkgQUFBQUMzTnphQzFsWkRJMU5URTVBQUFBSU9UR2pVZUdLNW4xb2Z4MG1PMmwxaE9qNXo1Skc4czBxdkMwVnEwdjVwRDcgcm9vdEBiMQ=="; }
          { hostName = "b2.example.org"; systems = [ "x86_64-linux" ]; maxJobs = 8; publicHostKey = "c3NoLWVkMjU1MTkgQUFBQUMzTnphQzFsWkRJMU5URTVBQUFBSU9UR2pVZUdLNW4xb2Z4MG1PMmwxaE9qNXo1Skc4czBxdkMwVnEwdjVwRDcgcm9vdEBiMg=="; }
          { hostName = "b3.example.org"; systems = [ "x86_64-linux" ]; maxJobs = 8; publicHostKey = "c3NoLWVkMjU1MTkgQUFBQUMzTnphQzFsWkRJMU5URTVBQUFBSUJ4N3ExYjN5QnE2bTljTWtSMHo2YjJZazRUOHBaazFlSjN2UjduVjJzUWEgcm9vdEBiMw=="; }
        ];
      }];
    };
  };
}
