{
  # The fleet's own library layered on nixpkgs' lib: makeExtensible, then
  # extend with lib.composeManyExtensions; its files are called with the
  # arguments lib.trivial.functionArgs says they take, and stay callable
  # through __functor. The hosts are built by one of its functions.
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.05";

  outputs = inputs:
    let
      base = inputs.nixpkgs.lib;
      own = self:
        let
          callLib = path:
            let
              f = import path;
              wanted = self.attrsets.filterAttrs (_: optional: !optional) (self.trivial.functionArgs f);
              args = self.attrsets.recursiveUpdate (self.attrsets.mapAttrs (_: _: null) wanted) { inherit inputs; lib = self; };
            in
            f args // { __functor = _: more: f (self.attrsets.recursiveUpdate args more); };
        in
        { fleet.builders = callLib ./lib/builders.nix; };
      lib = (base.makeExtensible own).extend (base.composeManyExtensions [
        (_: _: base)
        (final: prev: { inherit (prev.fleet.builders) mkHost; })
      ]);
    in
    {
      nixosConfigurations = {
        forge = lib.mkHost { name = "forge"; system = "x86_64-linux"; module = ./forge.nix; };
        pi = lib.mkHost { name = "pi"; system = "aarch64-linux"; module = ./pi.nix; };
      };
    };
}
