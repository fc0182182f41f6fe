package check

import (
	"os"
	"os/exec"
	"testing"

	"github.com/nixbuild-lint/nixbuild-lint/internal/fleetgen"
	"github.com/nixbuild-lint/nixbuild-lint/internal/treefs"
)

// BenchmarkCopyTracked: what --eval nix pays, in a git work tree, to give
// Nix a copy of the tracked files of the generated 1,000-host fleet
// (reading git's index, copying, removing the copy), on top of Nix's own
// copy of the flake into the store.
func BenchmarkCopyTracked(b *testing.B) {
	if _, err := exec.LookPath("git"); err != nil {
		b.Skip("no git")
	}
	dir := b.TempDir()
	if _, err := fleetgen.Write(dir, 1000); err != nil {
		b.Fatal(err)
	}
	for _, args := range [][]string{{"init", "-q"}, {"add", "-A"}, {"commit", "-qm", "fleet"}} {
		cmd := exec.Command("git", append([]string{"-c", "user.email=t@t", "-c", "user.name=t"}, args...)...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	files, _, err := treefs.FlakeTracked(dir)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("copy", func(b *testing.B) {
		for b.Loop() {
			tmp, err := CopyWithOverlay(dir, nil)
			if err != nil {
				b.Fatal(err)
			}
			if err := os.RemoveAll(tmp); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(files)), "files")
	})
	// For scale: Nix's own copy of the same tree into the store, which
	// every evaluation of a path: flake makes (hashing it; the store
	// already holds it after the first).
	b.Run("nix-store-add", func(b *testing.B) {
		if _, err := exec.LookPath("nix"); err != nil {
			b.Skip("no nix")
		}
		for b.Loop() {
			cmd := exec.Command("nix", "--extra-experimental-features", "nix-command", "store", "add-path", "--name", "source", dir)
			if out, err := cmd.CombinedOutput(); err != nil {
				b.Fatalf("%v\n%s", err, out)
			}
		}
	})
}
