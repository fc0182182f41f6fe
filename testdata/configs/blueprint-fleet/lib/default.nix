{ flake, inputs }:
{
  builderSystem = "x86_64-linux";
}
