package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBadInput: one clear line naming the file (and line), exit 2, nothing
// on stdout.
func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(rel, content string) string {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return filepath.Dir(p)
	}
	cases := []struct {
		name, want string
		args       func() []string
	}{
		{"missing path", "does-not-exist: no such file or directory", func() []string { return []string{filepath.Join(dir, "does-not-exist")} }},
		{"no flake", "no flake.nix here", func() []string { return []string{write("noflake/x.nix", "{ }")} }},
		{"empty flake", "flake.nix:1: syntax error: no expression (the file is empty)", func() []string { return []string{write("empty/flake.nix", "\n")} }},
		{"syntax error", "flake.nix:3: syntax error: '[' opened on line 3 is closed by '}'", func() []string {
			return []string{write("syntax/flake.nix", "{\n  outputs = { nixpkgs, ... }: {\n    x = [ 1 2 ;\n  };\n}\n")}
		}},
		{"syntax error in a host file", "hosts/a.nix:2: syntax error", func() []string {
			d := write("hostsyntax/flake.nix", "{ outputs = { nixpkgs, ... }: { nixosConfigurations.a = nixpkgs.lib.nixosSystem { modules = [ ./hosts/a.nix ]; }; }; }\n")
			write("hostsyntax/hosts/a.nix", "{\n  nix.settings = = 1;\n}\n")
			return []string{d}
		}},
		{"missing import", "flake.nix:1: hosts/gone.nix: no such file", func() []string {
			return []string{write("missing/flake.nix", "{ outputs = { nixpkgs, ... }: { nixosConfigurations.a = nixpkgs.lib.nixosSystem { modules = [ ./hosts/gone.nix ]; }; }; }\n")}
		}},
		{"outputs not a function", "flake.nix:1: flake outputs is not a function", func() []string { return []string{write("notfn/flake.nix", "{ outputs = 3; }")} }},
		{"binary file", "flake.nix:1: not a Nix file", func() []string { return []string{write("binary/flake.nix", "\x00\x01\x02")} }},
		{"module is a number", "flake.nix:1: a module must be a path, a function or an attribute set, not an integer", func() []string {
			return []string{write("number/flake.nix", "{ outputs = { nixpkgs, ... }: { nixosConfigurations.a = nixpkgs.lib.nixosSystem { modules = [ 3 ]; }; }; }\n")}
		}},
		{"20 MB file", "big.nix: file is too large to be Nix code", func() []string {
			d := write("big/flake.nix", "{ outputs = { nixpkgs, ... }: { nixosConfigurations.a = nixpkgs.lib.nixosSystem { modules = [ ./big.nix ]; }; }; }\n")
			write("big/big.nix", "{ x = \""+strings.Repeat("a", 20<<20)+"\"; }")
			return []string{d}
		}},
		{"non-UTF-8 bytes", "host.nix:2: not a Nix file: invalid UTF-8", func() []string {
			d := write("latin1/flake.nix", "{ outputs = { nixpkgs, ... }: { nixosConfigurations.a = nixpkgs.lib.nixosSystem { modules = [ ./host.nix ]; }; }; }\n")
			write("latin1/host.nix", "{\n  networking.hostName = \"caf\xe9\";\n}\n")
			return []string{d}
		}},
		{"symlink loop", "flake.nix:1: loop.nix: a symlink loop", func() []string {
			d := write("loop/flake.nix", "{ outputs = { nixpkgs, ... }: { nixosConfigurations.a = nixpkgs.lib.nixosSystem { modules = [ ./loop.nix ]; }; }; }\n")
			if err := os.Symlink("loop.nix", filepath.Join(d, "loop.nix")); err != nil {
				t.Fatal(err)
			}
			return []string{d}
		}},
		{"directory instead of a module file", "flake.nix:1: hosts/a/default.nix: no such file", func() []string {
			d := write("dir/flake.nix", "{ outputs = { nixpkgs, ... }: { nixosConfigurations.a = nixpkgs.lib.nixosSystem { modules = [ ./hosts/a ]; }; }; }\n")
			if err := os.MkdirAll(filepath.Join(d, "hosts/a"), 0o755); err != nil {
				t.Fatal(err)
			}
			return []string{d}
		}},
		{"bad --host", "--host wants NAME[@SYSTEM]=PATH", func() []string { return []string{"--host", "nonsense", dir} }},
		{"bad --format", "--format must be text, json, github, sarif or rdjson", func() []string { return []string{"--format", "xml", filepath.Join(configs, "seed")} }},
		{"no hosts found", "found no hosts", func() []string {
			return []string{write("flakeparts/flake.nix", "{ inputs.flake-parts.url = \"github:hercules-ci/flake-parts\"; outputs = inputs: inputs.flake-parts.lib.mkFlake { inherit inputs; } { }; }\n")}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, errOut, code := runCLI(c.args()...)
			if code != 2 {
				t.Errorf("exit %d, want 2 (stdout %q, stderr %q)", code, out, errOut)
			}
			if out != "" {
				t.Errorf("stdout should be empty, got %q", out)
			}
			if strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, c.want) {
				t.Errorf("stderr = %q, want one line containing %q", errOut, c.want)
			}
		})
	}
}
