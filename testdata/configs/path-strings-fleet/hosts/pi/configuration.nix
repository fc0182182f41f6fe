{ modulesPath, inputs, ... }:
{
  imports = [
    (modulesPath + "/installer/scan/not-detected.nix")
    "${modulesPath}/installer/sd-card/sd-image-aarch64.nix"
    "${./../..}/modules/remote-builders.nix"
    "${inputs.nixpkgs}/nixos/modules/profiles/perlless.nix"
  ];
  networking.hostName = "pi";
}
