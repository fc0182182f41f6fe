package main

import (
	"os"
	"path/filepath"
	"slices"
	"sort"
	"testing"

	"github.com/nixbuild-lint/nixbuild-lint/nixeval/screen"
)

// TestModulesIn: the module sets the generator names, in the shapes real
// flakes write them: `nixosModules = import ./modules` (nixos-sbc), with
// arguments and `set // { inherit default; }` (nyx), `self.lib.rakeLeaves
// ./modules` (nix-minecraft), `// import ./modules self` at the top of the
// outputs; each screened from its own file's directory.
func TestModulesIn(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"flake.nix": `{ outputs = { self, ... }: {
  nixosModules = import ./modules;
  lib.x = 1;
} // import ./more self; }`,
		"modules/default.nix":          `{ default = { imports = [ ./sbc ]; }; }`,
		"modules/sbc/default.nix":      `{ lib, ... }: { services.openssh.enable = lib.mkDefault true; }`,
		"more/default.nix":             `self: { darwinModules = import ./darwin { inherit self; }; }`,
		"more/darwin/default.nix":      "fromFlakes: let perFile = { cache = import ./cache.nix; }; all = { imports = [ ]; }; in perFile // { inherit all; }",
		"more/darwin/cache.nix":        `{ ... }: { nix.settings.trusted-users = [ "@admin" ]; }`,
		"leaves/flake.nix":             `{ outputs = { self, ... }: { nixosModules = self.lib.rakeLeaves ./modules; }; }`,
		"leaves/modules/server.nix":    `{ ... }: { users.users.mc.isSystemUser = true; }`,
		"leaves/modules/x/default.nix": `{ ... }: { }`,
	}
	for n, text := range files {
		p := filepath.Join(dir, n)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	load := screen.FileLoader(dir)
	defines := func(flake string) map[string][]string {
		e, err := load(filepath.Join(dir, flake))
		if err != nil {
			t.Fatal(err)
		}
		out := map[string][]string{}
		for name, m := range modulesIn(e, filepath.Dir(filepath.Join(dir, flake)), load) {
			s := screen.New(load)
			s.Module(m.e, m.dir, nil)
			out[name] = screen.Relevant(s.Paths())
		}
		return out
	}
	got := defines("flake.nix")
	var names []string
	for n := range got {
		names = append(names, n)
	}
	sort.Strings(names)
	if !slices.Equal(names, []string{"all", "cache", "default"}) {
		t.Fatalf("modules: %q", names)
	}
	if !slices.Equal(got["default"], []string{"services.openssh.enable"}) || got["all"] == nil || len(got["all"]) != 0 {
		t.Errorf("default, all: %q %q", got["default"], got["all"])
	}
	if !slices.Equal(got["cache"], []string{"nix.settings.trusted-users"}) {
		t.Errorf("cache: %q", got["cache"])
	}
	got = defines("leaves/flake.nix")
	if !slices.Equal(got["server"], []string{"users.users.mc.isSystemUser"}) || got["x"] == nil || len(got["x"]) != 0 {
		t.Errorf("rakeLeaves: %q", got)
	}
}
