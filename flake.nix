{
  description = "nixbuild-lint: check the remote-builder setup of a NixOS fleet across hosts";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-26.05";

  outputs = { self, nixpkgs }:
    let
      systems = [ "x86_64-linux" "aarch64-linux" "x86_64-darwin" "aarch64-darwin" ];
      forAll = f: nixpkgs.lib.genAttrs systems (system: f nixpkgs.legacyPackages.${system});
      # go.mod asks for Go 1.26: take that builder where nixpkgs names it.
      package = pkgs: (pkgs.buildGo126Module or pkgs.buildGoModule) {
        pname = "nixbuild-lint";
        version = "0.1.0";
        src = self;
        # The NAR hash of `go mod vendor`; TestFlake recomputes it and fails
        # when go.mod or go.sum change without it.
        vendorHash = "sha256-4ThpMbNfJpx1IMIdXsOuMS7OAZJC2aRPC+rVKjxv/Pc=";
        subPackages = [ "cmd/nixbuild-lint" ];
        ldflags = [ "-s" "-w" ];
        # The tests need root, Nix, sshd and QEMU: scripts/test.sh runs them.
        doCheck = false;
        meta = {
          description = "Check the remote-builder setup of a NixOS fleet across hosts";
          mainProgram = "nixbuild-lint";
        };
      };
      # A check for a user's flake: fails the build when nixbuild-lint
      # finds something at failLevel or above in src.
      mkCheck = { src, eval ? "static", failLevel ? "warning", system ? "x86_64-linux", pkgs ? nixpkgs.legacyPackages.${system} }:
        pkgs.runCommand "nixbuild-lint-check" { nativeBuildInputs = [ (package pkgs) ]; } ''
          nixbuild-lint --eval ${eval} --fail-level ${failLevel} --color never ${src}
          touch $out
        '';
    in
    {
      packages = forAll (pkgs: rec {
        nixbuild-lint = package pkgs;
        default = nixbuild-lint;
      });
      apps = forAll (pkgs: {
        default = { type = "app"; program = "${package pkgs}/bin/nixbuild-lint"; };
      });
      devShells = forAll (pkgs: {
        default = pkgs.mkShell {
          packages = [ (pkgs.go_1_26 or pkgs.go) pkgs.golangci-lint pkgs.nix pkgs.pre-commit ];
        };
      });
      overlays.default = final: prev: { nixbuild-lint = package final; };
      lib = { inherit mkCheck; };
    };
}
