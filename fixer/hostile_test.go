package fixer

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nixbuild-lint/nixbuild-lint/rules"
)

// TestHostileCROnlyLineEndings: a fleet written with CR alone as line end
// (old Mac files) is fixed in its own line ends and indentation; no LF
// comes in.
func TestHostileCROnlyLineEndings(t *testing.T) {
	dir := t.TempDir()
	cr := func(s string) []byte { return []byte(strings.ReplaceAll(s, "\n", "\r")) }
	files := map[string]string{
		"flake.nix": `{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
  outputs = { nixpkgs, ... }: {
    nixosConfigurations.desk = nixpkgs.lib.nixosSystem { system = "aarch64-linux"; modules = [ ./desk.nix ]; };
    nixosConfigurations.tower = nixpkgs.lib.nixosSystem { system = "x86_64-linux"; modules = [ ./tower.nix ]; };
  };
}
`,
		"desk.nix": `{ ... }:
{
  nix.distributedBuilds = true;
  nix.buildMachines = [ { hostName = "tower"; systems = [ "x86_64-linux" "aarch64-linux" ]; } ];
}
`,
		"tower.nix": `{ ... }:
{
  services.openssh.enable = true;
}
`,
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), cr(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res, err := Run(dir, nil, rules.Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := string(res.After["tower.nix"])
	want := string(cr("{ ... }:\n{\n  services.openssh.enable = true;\n  boot.binfmt.emulatedSystems = [ \"aarch64-linux\" ];\n}\n"))
	if got != want {
		t.Errorf("tower.nix after the fix:\n got %q\nwant %q", got, want)
	}
}

// TestHostileListKeepsComment: filling or emptying a list keeps a comment
// written in it.
func TestHostileListKeepsComment(t *testing.T) {
	l, data := parseList(t, "{ a = [ # riscv later\n  ]; }")
	out, err := apply(data, []Edit{listInsert("f.nix", data, l, []string{"x", "y"})})
	if err != nil {
		t.Fatal(err)
	}
	if want := "{ a = [ \"x\" \"y\" # riscv later\n  ]; }"; string(out) != want {
		t.Errorf("insert: got %q, want %q", out, want)
	}
	for in, want := range map[string]string{
		"{ a = [ \"x\" /* keep */ ]; }":              "{ a = [  /* keep */ ]; }",
		"{ a = [\n  # keep\n  \"x\"\n]; }":           "{ a = [\n  # keep\n]; }",
		"{ a = [ \"x\" ]; }":                         "{ a = [ ]; }",
		"{\r  a = [\r    # keep\r    \"x\"\r  ];\r}": "{\r  a = [\r    # keep\r  ];\r}",
	} {
		l, data := parseList(t, in)
		ed, ok := listRemove("f.nix", data, l, "x")
		if !ok {
			t.Fatalf("%q: not removed", in)
		}
		out, err := apply(data, []Edit{ed})
		if err != nil {
			t.Fatal(err)
		}
		if string(out) != want {
			t.Errorf("remove from %q: got %q, want %q", in, out, want)
		}
	}
}
