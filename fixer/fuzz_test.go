package fixer

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/nixbuild-lint/nixbuild-lint/nixeval/lang"
	"github.com/nixbuild-lint/nixbuild-lint/rules"
)

// FuzzFixRoundTrip mutates the builder's file of the seed fleet: whatever
// the fixer produces parses, and fixing the result again changes nothing.
func FuzzFixRoundTrip(f *testing.F) {
	seed, err := os.ReadFile("../testdata/configs/seed/hosts/ritchie/configuration.nix")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte("{ boot = { binfmt.emulatedSystems = [ ]; }; }"))
	f.Add([]byte("{ config, ... }: { boot.binfmt.emulatedSystems = [\n\t\"riscv64-linux\"\n]; }"))
	f.Add([]byte("{ ... }: let x = 1; in { config = { networking.hostName = \"ritchie\"; }; }"))
	// Issue 22: CR-only line ends, a comment in the list a fix fills.
	f.Add([]byte("{ ... }:\r{\r  networking.hostName = \"ritchie\";\r  services.openssh.enable = true;\r}\r"))
	f.Add([]byte("{ boot.binfmt.emulatedSystems = [ # riscv later\n  ]; }"))
	pi, err := os.ReadFile("../testdata/configs/seed/hosts/pi/configuration.nix")
	if err != nil {
		f.Fatal(err)
	}
	flake, err := os.ReadFile("../testdata/configs/seed/flake.nix")
	if err != nil {
		f.Fatal(err)
	}
	// Inputs that spend the whole evaluation budget are slow by design;
	// a smaller one keeps each run short (a fix run reads several times).
	defer func(b int) { lang.DefaultBudget = b }(lang.DefaultBudget)
	lang.DefaultBudget = 500_000
	f.Fuzz(func(t *testing.T, data []byte) {
		start := time.Now()
		defer func() {
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("one fix run took %v", d)
			}
		}()
		dir := t.TempDir()
		files := map[string][]byte{
			"flake.nix":                           flake,
			"hosts/pi/configuration.nix":          pi,
			"hosts/pi/hardware-configuration.nix": []byte("{ }"),
			"hosts/ritchie/configuration.nix":     data,
		}
		for name, content := range files {
			p := filepath.Join(dir, name)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, content, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		res, err := Run(dir, nil, rules.Options{})
		if err != nil {
			return // bad input is reported, not fixed
		}
		for _, file := range res.Changed() {
			abs := filepath.Join(dir, file)
			if _, err := lang.ParseSource(lang.NewSource(abs, file, res.After[file])); err != nil {
				t.Fatalf("fixed %s does not parse: %v\n%s", file, err, res.After[file])
			}
		}
		if err := res.Write(); err != nil {
			t.Fatal(err)
		}
		again, err := Run(dir, nil, rules.Options{})
		if err != nil {
			t.Fatalf("the fixed fleet does not read: %v", err)
		}
		if c := again.Changed(); len(c) > 0 {
			t.Fatalf("a second fix changes %v:\n%s", c, again.Diff())
		}
	})
}
