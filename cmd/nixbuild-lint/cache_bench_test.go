package main

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/nixbuild-lint/nixbuild-lint/internal/fleetgen"
)

// BenchmarkEvalCache: a whole check of a generated 50-host flake with
// --eval nix (the real nix, the stand-in nixpkgs on the real lib): the
// first run (empty cache), a second run on the unchanged tree (the model
// from the cache), a run after one file changed (evaluated again), and
// --eval static for comparison.
func BenchmarkEvalCache(b *testing.B) {
	nixpkgs := benchStandIn(b)
	dir := b.TempDir()
	if _, err := fleetgen.Write(dir, 50); err != nil {
		b.Fatal(err)
	}
	args := []string{"--format", "json", "--eval", "nix", "--override-input", "nixpkgs=" + nixpkgs, dir}
	run := func(b *testing.B, args []string) {
		if _, errOut, code := runCLI(args...); code == 2 {
			b.Fatal(errOut)
		}
	}
	b.Run("first", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			b.Setenv("XDG_CACHE_HOME", b.TempDir())
			b.StartTimer()
			run(b, args)
		}
	})
	b.Setenv("XDG_CACHE_HOME", b.TempDir())
	run(b, args)
	b.Run("unchanged", func(b *testing.B) {
		for b.Loop() {
			run(b, args)
		}
	})
	marker := filepath.Join(dir, "marker.nix")
	n := 0
	b.Run("one-file-changed", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			n++
			if err := os.WriteFile(marker, []byte(fmt.Sprintf("# change %d\n{ }\n", n)), 0o644); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			run(b, args)
		}
	})
	b.Run("static", func(b *testing.B) {
		for b.Loop() {
			run(b, []string{"--format", "json", "--eval", "static", dir})
		}
	})
}
