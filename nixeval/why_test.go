package nixeval

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNoHostsWhy walks every way to "could not be read statically" (no
// host at all) and to a host not read: each names what stopped the
// reader, the input and function or the file:line and the construct.
func TestNoHostsWhy(t *testing.T) {
	const pre = "found no hosts: nixosConfigurations could not be read statically ("
	const post = "); try --eval nix or --host NAME=PATH"
	for _, c := range []struct{ name, outputs, want string }{
		{"outputs unknown", `{ self, h }: h.everything`,
			pre + "the flake's outputs: stand-in for flake input h.everything" + post},
		{"outputs not a set", "{ self }:\n  [ ]",
			pre + "outputs at flake.nix:2 returns a list, not a set" + post},
		{"outputs of a helper", `{ self, h }: h.lib.mkFlake { inherit self; }`,
			pre + "function lib.mkFlake of flake input h (its source is not here)" + post},
		{"configurations unknown", `{ self, h }: { nixosConfigurations = h.hosts; }`,
			pre + "stand-in for flake input h.hosts; nixosConfigurations at flake.nix:2" + post},
		{"darwin configurations unknown", `{ self, h }: { darwinConfigurations = h.macs; }`,
			pre + "stand-in for flake input h.macs; darwinConfigurations at flake.nix:2" + post},
		{"configurations not a set", "{ self }: {\n  nixosConfigurations = [ ];\n}",
			pre + "nixosConfigurations is a list, not a set of configurations at flake.nix:3" + post},
		{"names unknown", "{ self, h }: {\n  nixosConfigurations = builtins.listToAttrs (map (n: { name = n; value = 1; }) h.names);\n}",
			pre + "stand-in for flake input h.names; nixosConfigurations at flake.nix:3" + post},
		{"a name unknown", "{ self, h }: {\n  nixosConfigurations = {\n    ${h.name} = h.lib.nixosSystem { };\n  };\n}",
			pre + "nixosConfigurations is a set whose names cannot be known (attribute name unknown at flake.nix:4:5: stand-in for flake input h.name) at flake.nix:3" + post},
		{"empty", "{ self }: {\n  nixosConfigurations = { };\n}",
			pre + "nixosConfigurations is an empty set at flake.nix:3" + post},
		{"empty, a flake module not read", "{ self, flake-parts }: flake-parts.lib.mkFlake { inherit self; } {\n  imports = [ ({ lib, ... }: { imports = lib.fileset.toList (lib.fileset.gitTracked ./.); }) ];\n}",
			pre + "nixosConfigurations is an empty set; a module of the flake was not read: flake.nix:3:42: imports: lib.fileset.gitTracked (it fetches the repository with builtins.fetchGit, which the static reader does not run)" + post},
		{"the right side of // unknown, the left empty", "{ self, h }: {\n  nixosConfigurations = { } // h.lib.optionalAttrs h.enable h.hosts;\n}",
			pre + "nixosConfigurations is a set whose names cannot be known (the right side of // at flake.nix:3:32 (condition unknown: stand-in for flake input h.enable)) at flake.nix:3" + post},
		{"empty by the framework's default", "{ self, flake-parts }: flake-parts.lib.mkFlake { inherit self; } {\n  flake.nixosModules.default = { };\n}",
			pre + "nixosConfigurations is the framework's empty default: no module of the flake defines a configuration, so the flake may only export modules" + post},
		{"a fleet's own lib.evalModules, its only host module from an input without source", "{ self, nixpkgs, h }: (nixpkgs.lib.evalModules {\n  modules = [ h.flakeModule { h.hosts.a = { }; } ];\n}).config.flake",
			// Before: "nixosConfigurations is the framework's empty
			// default: no module of the flake defines a configuration",
			// where nothing declares it and h's module was not read.
			pre + "nixosConfigurations is an empty set; a module of the flake was not read: flake.nix:3:15: module of flake input h flakeModule" + post},
		{"per-system configurations of flake-utils", "{ self, flake-utils, nixpkgs }: flake-utils.lib.eachDefaultSystem (system: {\n  nixosConfigurations.a = nixpkgs.lib.nixosSystem { inherit system; modules = [ ]; };\n})",
			pre + "nixosConfigurations is a set whose names cannot be known (per-system output nixosConfigurations of flake-utils.eachDefaultSystem at flake.nix:2:80, which the static reader does not read per system)" + post},
		{"names of flake-parts' perSystem packages", "{ self, flake-parts, nixpkgs }: flake-parts.lib.mkFlake { inherit self; } {\n  systems = [ \"x86_64-linux\" ];\n  perSystem = { pkgs, ... }: { packages.a = pkgs.hello; };\n  flake.nixosConfigurations = builtins.mapAttrs (n: _: nixpkgs.lib.nixosSystem { modules = [ ]; }) self.packages.x86_64-linux;\n}",
			pre + "nixosConfigurations is a set whose names cannot be known (packages is made by flake-parts from perSystem, which the static reader does not read (perSystem at flake.nix:4:3))" + post},
		{"// of two sets neither listed, the left an input's", "{ self, h }: h.outputs // { packages = { }; } // h.lib.optionalAttrs h.dev { formatter = { }; }",
			pre + "stand-in for flake input h.outputs: nixosConfigurations" + post},
		{"// of a fetched flake's outputs", "{ self }:\n  let parts = builtins.fetchTree { type = \"github\"; owner = \"hercules-ci\"; repo = \"flake-parts\"; };\n  in (import (parts + \"/flake.nix\")).outputs { } // { packages = { }; } // (if builtins.getEnv \"DEV\" == \"1\" then { formatter = { }; } else { })",
			pre + "builtins.fetchTree of github:hercules-ci/flake-parts (the static reader fetches nothing): nixosConfigurations" + post},
		{"a tack-style resolver's pin without source", "{ self }:\n  let\n    pins = builtins.mapAttrs (_: builtins.fetchTree) (fromTOML \"[parts]\\ntype = 'github'\\nowner = 'hercules-ci'\\nrepo = 'flake-parts'\");\n    inputs = pins // { inherit self; };\n  in inputs.parts.lib.mkFlake { inherit inputs; } { }",
			pre + "the flake's outputs: builtins.fetchTree of github:hercules-ci/flake-parts (the static reader fetches nothing)" + post},
		{"all null", "{ self }: {\n  nixosConfigurations.a = null;\n  nixosConfigurations.b = null;\n}",
			pre + "every entry of nixosConfigurations is null (2 of them) at flake.nix:3" + post},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			src := "{\n  outputs = " + c.outputs + ";\n}\n"
			if err := os.WriteFile(filepath.Join(dir, "flake.nix"), []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := NewReader(dir).Read(dir, nil)
			if err == nil {
				t.Fatal("read")
			}
			if got := strings.TrimPrefix(err.Error(), "flake.nix: "); got != c.want {
				t.Errorf("got  %s\nwant %s", got, c.want)
			}
		})
	}
}

// TestHostNotReadWhy: a configuration the reader cannot follow says what
// it is.
func TestHostNotReadWhy(t *testing.T) {
	dir := t.TempDir()
	src := `{
  outputs = { self, nixpkgs, h }: {
    nixosConfigurations = {
      ok = nixpkgs.lib.nixosSystem { modules = [ { networking.hostName = "ok"; } ]; };
      helper = h.lib.mkHost { name = "x"; };
      number = 42;
      plain = { config = { }; options = { }; };
      fn = x: x;
    };
    darwinConfigurations = h.macs;
  };
}
`
	if err := os.WriteFile(filepath.Join(dir, "flake.nix"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := NewReader(dir).Read(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"helper": "the result of function lib.mkHost of flake input h (its source is not here)",
		"number": "an integer, not a nixosSystem the static reader can follow",
		"plain":  "a set (config, options), not a nixosSystem the static reader can follow",
		"fn":     "a function, not a nixosSystem the static reader can follow",
		// A set of hosts whose names cannot be listed, beside hosts that
		// can: one entry stands for all of them.
		"darwinConfigurations.*": "stand-in for flake input h.macs; darwinConfigurations at flake.nix:10",
	}
	seen := map[string]bool{}
	for _, h := range f.Hosts {
		seen[h.Name] = true
		w, ok := want[h.Name]
		switch {
		case !ok && h.NotRead != nil:
			t.Errorf("%s not read: %s", h.Name, h.NotRead.Why)
		case ok && (h.NotRead == nil || h.NotRead.Why != w):
			t.Errorf("%s: %+v, want %q", h.Name, h.NotRead, w)
		}
	}
	for name := range want {
		if !seen[name] {
			t.Errorf("no entry for %s", name)
		}
	}
}

// TestCallingASet: a set of the flake's configuration called as a
// function says so (it was "evaluation too deep": each __functor looked
// up was another set to call).
func TestCallingASet(t *testing.T) {
	f := readTree(t, map[string]string{
		"flake.nix": `{ ` + nixpkgsInput + ` inputs.flake-parts.url = "github:hercules-ci/flake-parts";
  outputs = inputs: inputs.flake-parts.lib.mkFlake { inherit inputs; } ({ config, ... }: {
    flake.mk = { home-manager = true; };
    flake.nixosConfigurations.a = config.flake.mk ./a.nix;
  }); }`,
		"a.nix": `{ nixpkgs.hostPlatform = "x86_64-linux"; }`,
	})
	if len(f.Hosts) != 1 || f.Hosts[0].NotRead == nil || f.Hosts[0].NotRead.Why != "calling a set" {
		t.Errorf("host a: %s", hostNames(f))
	}
}

// TestImportOfWrittenFile: a module imported from a file the flake writes
// with builtins.toFile is not read, and says so (was "import of something
// outside the tree": MFarabi619/MFarabi619's patched nix-dokploy module).
func TestImportOfWrittenFile(t *testing.T) {
	f := readTree(t, map[string]string{
		"flake.nix": `{ ` + nixpkgsInput + `
  outputs = { nixpkgs, ... }: { nixosConfigurations.a = nixpkgs.lib.nixosSystem { system = "x86_64-linux"; modules = [ ./a.nix ]; }; }; }`,
		"a.nix": "{\n  imports = [ (import (builtins.toFile \"patched.nix\" \"{ }\")) ];\n}\n",
	})
	want := "a.nix:2:16: import of patched.nix, a file the flake makes in the store (builtins.toFile, or a path copied into a string): the static reader does not read it"
	if got := strings.Join(f.Hosts[0].Unread, "\n"); got != want {
		t.Errorf("not read:\n%s\nwant %s", got, want)
	}
}

// TestImportOutsideTreeWhere: an import of a file outside the tree names
// the path and where the import is written, however far the reason travels
// (here into the condition of an import list; was "import of something
// outside the tree" at the list's position only).
func TestImportOutsideTreeWhere(t *testing.T) {
	f := readTree(t, map[string]string{
		"flake.nix": `{ ` + nixpkgsInput + `
  outputs = { nixpkgs, ... }: { nixosConfigurations.a = nixpkgs.lib.nixosSystem { system = "x86_64-linux"; modules = [ ./a.nix ]; }; }; }`,
		"a.nix": "{ lib, ... }:\nlet hw = import /etc/nixos/hardware-configuration.nix; in\n{\n  imports = lib.optional (hw ? boot) ./b.nix;\n}\n",
		"b.nix": "{ }",
	})
	want := "a.nix:4:13: imports: condition unknown: import of /etc/nixos/hardware-configuration.nix (a.nix:2:17), outside the tree"
	if got := strings.Join(f.Hosts[0].Unread, "\n"); got != want {
		t.Errorf("not read:\n%s\nwant %s", got, want)
	}
}

// TestPerSystemPackageEvalConfig: a host evaluated by the eval-config.nix of
// a patched nixpkgs that flake-parts' perSystem makes a package of (seen
// in xddxdd/nixos-config: self.packages.${system}.pkgs-patched, from a
// flake module of an input) is read as nixosSystem, with its system.
func TestPerSystemPackageEvalConfig(t *testing.T) {
	f := readTree(t, map[string]string{
		"flake.nix": `{
  inputs.flake-parts.url = "github:hercules-ci/flake-parts";
  inputs.nur.url = "github:someone/nur";
  outputs = inputs@{ self, flake-parts, ... }: flake-parts.lib.mkFlake { inherit inputs; } {
    imports = [ inputs.nur.flakeModules.nixpkgs-options ];
    systems = [ "x86_64-linux" "aarch64-linux" ];
    flake.nixosConfigurations = builtins.mapAttrs (n: system:
      import (self.packages.${system}.pkgs-patched + "/nixos/lib/eval-config.nix") {
        inherit system;
        modules = [ { networking.hostName = n; } ];
      }) { a = "x86_64-linux"; b = "aarch64-linux"; };
  };
}
`})
	if got, want := hostNames(f), "a:x86_64-linux b:aarch64-linux"; got != want {
		t.Errorf("hosts %s, want %s", got, want)
	}
	for _, h := range f.Hosts {
		if h.HostName.V != h.Name {
			t.Errorf("%s: hostName %q", h.Name, h.HostName.V)
		}
	}
}

// TestBlueprintOwnHosts: blueprint's hosts/<name>/default.nix gives
// { class; value; }: a nix-darwin value is a darwin host, a class the
// reader does not know a host not read that says which.
func TestBlueprintOwnHosts(t *testing.T) {
	f := readTree(t, map[string]string{
		"flake.nix": `{
  inputs.blueprint.url = "github:numtide/blueprint";
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.05";
  inputs.nix-darwin.url = "github:nix-darwin/nix-darwin";
  outputs = inputs: inputs.blueprint { inherit inputs; };
}
`,
		"hosts/mac/default.nix": `{ flake, inputs, hostName }: {
  class = "nix-darwin";
  value = inputs.nix-darwin.lib.darwinSystem { modules = [ { nixpkgs.hostPlatform = "aarch64-darwin"; networking.hostName = hostName; } ]; };
}
`,
		"hosts/box/default.nix": `{ inputs, ... }: {
  class = "nixos";
  value = inputs.nixpkgs.lib.nixosSystem { system = "x86_64-linux"; modules = [ ]; };
}
`,
		"hosts/sm/default.nix": `{ ... }: { class = "system-manager"; value = { }; }
`,
	})
	if got, want := hostNames(f), "box:x86_64-linux mac:aarch64-darwin sm:(not read)"; got != want {
		t.Errorf("hosts %s, want %s", got, want)
	}
	for _, h := range f.Hosts {
		switch h.Name {
		case "mac":
			if h.Kind != "darwin" || h.HostName.V != "mac" {
				t.Errorf("mac: kind %s, hostName %q", h.Kind, h.HostName.V)
			}
		case "sm":
			if h.NotRead == nil || h.NotRead.Why != "blueprint host sm is of class system-manager (hosts/sm/default.nix), neither nixos nor nix-darwin" || h.NotRead.At.File != "hosts/sm/default.nix" {
				t.Errorf("sm: %+v", h.NotRead)
			}
		}
	}
}

// TestUndeclaredInputBroken: a host built with an input the flake does not
// declare (fidgetingbits/nix-config's orby: inputs.nix-darwin with no such
// input) is broken at that commit, as Nix says ("attribute 'nix-darwin'
// missing"), naming the input and file:line; `inputs ? x` and `inputs.x or
// …` still answer as in Nix.
func TestUndeclaredInputBroken(t *testing.T) {
	f := readTree(t, map[string]string{
		"flake.nix": `{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.05";
  outputs = inputs@{ self, nixpkgs, ... }: {
    nixosConfigurations.box = nixpkgs.lib.nixosSystem {
      system = if inputs ? nix-darwin then "aarch64-linux" else "x86_64-linux";
      modules = [ { networking.hostName = (inputs.hostname or { name = "box"; }).name; } ];
    };
    darwinConfigurations.mac = inputs.nix-darwin.lib.darwinSystem { modules = [ ]; };
  };
}
`})
	if got, want := hostNames(f), "box:x86_64-linux mac:(not read)"; got != want {
		t.Errorf("hosts %s, want %s", got, want)
	}
	for _, h := range f.Hosts {
		switch h.Name {
		case "box":
			if h.HostName.V != "box" {
				t.Errorf("box: hostName %q", h.HostName.V)
			}
		case "mac":
			if h.NotRead == nil || !h.NotRead.Broken || h.NotRead.Why != "inputs.nix-darwin: the flake declares no input nix-darwin" || h.NotRead.At.File != "flake.nix" || h.NotRead.At.Line != 8 {
				t.Errorf("mac: %+v", h.NotRead)
			}
		}
	}
}

// TestGlobset: pdtpartners/globset's lib.globs root patterns, in order
// ("!" takes away, "**" any directories), turned into a module list by
// lib.fileset.toList (montchr/dotfield's flake modules).
func TestGlobset(t *testing.T) {
	host := func(name string) string {
		return `{ inputs, ... }: { flake.nixosConfigurations.` + name + ` = inputs.nixpkgs.lib.nixosSystem { system = "x86_64-linux"; modules = [ ]; }; }`
	}
	f := readTree(t, map[string]string{
		"flake.nix": `{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.05";
  inputs.flake-parts.url = "github:hercules-ci/flake-parts";
  inputs.sets.url = "github:pdtpartners/globset";
  outputs = inputs@{ flake-parts, nixpkgs, ... }: flake-parts.lib.mkFlake { inherit inputs; } {
    systems = [ "x86_64-linux" ];
    imports = nixpkgs.lib.fileset.toList (inputs.sets.lib.globs ./parts [ "**/*.nix" "!**/_*" "!**/_*/**" "!/*/config/**" ]);
  };
}
`,
		"parts/top.nix":              host("top"),
		"parts/hosts/deep.nix":       host("deep"),
		"parts/hosts/_private.nix":   host("private"),
		"parts/_drafts/draft.nix":    host("draft"),
		"parts/users/config/cfg.nix": host("cfg"),
		"parts/users/config.nix":     host("usercfg"),
		"parts/readme.md":            "not nix",
	})
	if got, want := hostNames(f), "deep:x86_64-linux top:x86_64-linux usercfg:x86_64-linux"; got != want {
		t.Errorf("hosts %s, want %s", got, want)
	}
}

// TestOptionExistsUnknownWhy: `options.programs ? nvf` where no module of
// the host declares programs.nvf is unknown (the reader does not know the
// option names NixOS itself declares, so it cannot deny one), and the
// reason names the name asked, the set and why (was "attribute set cannot
// be listed").
func TestOptionExistsUnknownWhy(t *testing.T) {
	f := readTree(t, map[string]string{
		"flake.nix": `{ ` + nixpkgsInput + `
  outputs = { nixpkgs, ... }: { nixosConfigurations.a = nixpkgs.lib.nixosSystem { system = "x86_64-linux"; modules = [ ./a.nix ]; }; }; }`,
		"a.nix": "{ lib, options, ... }:\n{\n  imports = lib.optional (options.programs ? nvf) ./b.nix;\n}\n",
		"b.nix": "{ }",
	})
	want := "a.nix:3:13: imports: condition unknown: ? nvf: attribute names cannot be listed: options.programs: the option names NixOS itself declares are not known to the static reader (only those the host's modules declare)"
	if got := strings.Join(f.Hosts[0].Unread, "\n"); got != want {
		t.Errorf("not read:\n%s\nwant %s", got, want)
	}
}
