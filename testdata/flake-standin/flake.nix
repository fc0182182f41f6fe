{
  # Stand-in nixpkgs for evaluating nixbuild-lint's own flake.nix in the
  # tests: the builders record their arguments instead of building.
  description = "nixbuild-lint test stand-in: recording builders";
  outputs = { self }:
    let
      systems = [ "x86_64-linux" "aarch64-linux" "x86_64-darwin" "aarch64-darwin" ];
      genAttrs = names: f: builtins.listToAttrs (map (n: { name = n; value = f n; }) names);
      record = kind: args: {
        type = "derivation";
        inherit kind args;
        name = args.pname or args.name or kind;
        outPath = "/nix/store/00000000000000000000000000000000-${args.pname or args.name or kind}";
      };
      pkgsFor = system: {
        inherit system;
        buildGoModule = record "buildGoModule";
        runCommand = name: env: script: record "runCommand" { inherit name env script; };
        mkShell = record "mkShell";
        go = "go";
        golangci-lint = "golangci-lint";
        nix = "nix";
        pre-commit = "pre-commit";
      };
    in
    {
      lib = { inherit genAttrs; };
      legacyPackages = genAttrs systems pkgsFor;
    };
}
