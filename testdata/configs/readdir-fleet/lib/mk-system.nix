{ inputs, self }:
name:
inputs.nixpkgs.lib.nixosSystem {
  specialArgs = { inherit inputs; };
  modules = [
    "${self}/hosts/${name}"
    ../modules
    ({ lib, ... }: { networking.hostName = lib.mkDefault name; })
  ];
}
