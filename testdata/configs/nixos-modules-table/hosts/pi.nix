{ modulesPath, inputs, ... }:
{
  imports = [
    (modulesPath + "/installer/sd-card/sd-image-aarch64.nix")
    "${modulesPath}/profiles/minimal.nix"
    "${inputs.nixpkgs}/nixos/modules/image/repart.nix"
  ];
  networking.hostName = "pi";
  services.openssh.enable = true;
  users.users.builder.isNormalUser = true;
}
