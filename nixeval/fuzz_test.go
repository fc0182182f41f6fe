package nixeval

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nixbuild-lint/nixbuild-lint/internal/fuzzseed"
	"github.com/nixbuild-lint/nixbuild-lint/nixeval/lang"
)

// FuzzReadFleet: any bytes as a flake, and as a host module, are read
// without panicking, in bounded time.
func FuzzReadFleet(f *testing.F) {
	fuzzseed.Add(f, "../testdata/configs")
	// Inputs that spend the whole evaluation budget are slow by design.
	defer func(b int) { lang.DefaultBudget = b }(lang.DefaultBudget)
	lang.DefaultBudget = 1_000_000
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		flake := "{ outputs = { nixpkgs, ... }: { nixosConfigurations.a = nixpkgs.lib.nixosSystem { modules = [ ./host.nix ]; }; }; }"
		for _, files := range []map[string][]byte{
			{"flake.nix": data},
			{"flake.nix": []byte(flake), "host.nix": data},
		} {
			for name, content := range files {
				if err := os.WriteFile(filepath.Join(dir, name), content, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			start := time.Now()
			r := NewReader(dir)
			_, err := r.Read(dir, nil)
			if err != nil && strings.Contains(err.Error(), "internal error") {
				t.Fatalf("reader bug: %v", err)
			}
			if d := time.Since(start); d > 30*time.Second {
				t.Fatalf("took %v", d)
			}
		}
	})
}

// TestPathologicalInputs: recursion, cycles and self-imports end quickly.
func TestPathologicalInputs(t *testing.T) {
	cases := map[string]map[string]string{
		"self-import": {
			"flake.nix":   `{ outputs = { nixpkgs, ... }: { nixosConfigurations.a = nixpkgs.lib.nixosSystem { modules = [ ./. ]; }; }; }`,
			"default.nix": `{ imports = [ ./. ./default.nix ]; nix.settings.max-jobs = 1; }`,
		},
		"import cycle": {
			"flake.nix": `{ outputs = { nixpkgs, ... }: { nixosConfigurations.a = nixpkgs.lib.nixosSystem { modules = [ ./a.nix ]; }; }; }`,
			"a.nix":     `{ imports = [ ./b.nix ]; x = import ./b.nix; }`,
			"b.nix":     `{ imports = [ ./a.nix ]; y = import ./a.nix; }`,
		},
		"recursion": {
			"flake.nix": `{ outputs = { nixpkgs, ... }: let f = n: f (n + 1); in { nixosConfigurations.a = nixpkgs.lib.nixosSystem { modules = [ { nix.settings.max-jobs = f 0; networking.hostName = let x = x; in x; } ]; }; }; }`,
		},
		"huge list": {
			"flake.nix": `{ outputs = { nixpkgs, ... }: { nixosConfigurations.a = nixpkgs.lib.nixosSystem { modules = [ { boot.binfmt.emulatedSystems = builtins.genList (i: "x") 100000; } ]; }; }; }`,
		},
		"endless closure": {
			"flake.nix": `{ outputs = { nixpkgs, ... }: { nixosConfigurations.a = nixpkgs.lib.nixosSystem { modules = [ { nix.settings.max-jobs = builtins.length (builtins.genericClosure { startSet = [ { key = 0; } ]; operator = x: [ { key = x.key + 1; } ]; }); } ]; }; }; }`,
		},
		"mutual config reads": {
			"flake.nix": `{ outputs = { nixpkgs, ... }: { nixosConfigurations.a = nixpkgs.lib.nixosSystem { modules = [ ({ config, ... }: { a.b = config.c.d; c.d = config.e.f; e.f = config.a.b; networking.hostName = config.a.b; nix.settings = config.nix.settings // { x = config.a; }; }) ]; }; }; }`,
		},
		"config loop": {
			"flake.nix": `{ outputs = { nixpkgs, ... }: { nixosConfigurations.a = nixpkgs.lib.nixosSystem { modules = [ ({ config, ... }: { imports = if config.x then [ ] else [ ]; nix.distributedBuilds = config.nix.distributedBuilds; }) ]; }; }; }`,
		},
	}
	for name, files := range cases {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			for n, c := range files {
				if err := os.WriteFile(filepath.Join(dir, n), []byte(c), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			start := time.Now()
			_, err := NewReader(dir).Read(dir, nil)
			if err != nil && strings.Contains(err.Error(), "internal error") {
				t.Fatal(err)
			}
			if d := time.Since(start); d > 30*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}
