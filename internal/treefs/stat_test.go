package treefs

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// TestStatFromWalk: Stat and Lstat answer with the lstat the resolution
// took of the real path (files, directories, symlinks followed or not),
// the same as os.Lstat of that path; directories are taken once for all
// the files below them; adding a root forgets them, so a directory that
// became a symlink out of the tree is then refused.
func TestStatFromWalk(t *testing.T) {
	base := t.TempDir()
	tree := filepath.Join(base, "tree")
	mkfile(t, filepath.Join(tree, "hosts/a/default.nix"), "{ }")
	mkfile(t, filepath.Join(tree, "hosts/a/nix.nix"), "{ nix.enable = true; }")
	mkfile(t, filepath.Join(base, "outside/nix.nix"), "secret")
	link(t, "hosts/a/nix.nix", filepath.Join(tree, "ln.nix"))
	link(t, "hosts/a", filepath.Join(tree, "lndir"))
	tr := New(tree)
	for _, c := range []struct {
		p, real string
		follow  bool
	}{
		{"hosts", "hosts", true},
		{"hosts/a", "hosts/a", true},
		{"hosts/a/nix.nix", "hosts/a/nix.nix", true},
		{"hosts/a/../a/default.nix", "hosts/a/default.nix", true},
		{"ln.nix", "hosts/a/nix.nix", true},
		{"lndir/nix.nix", "hosts/a/nix.nix", true},
		{"lndir", "hosts/a", true},
		{"ln.nix", "ln.nix", false},
		{"lndir", "lndir", false},
	} {
		p := filepath.Join(tree, c.p)
		var got fs.FileInfo
		var err error
		if c.follow {
			got, err = tr.Stat(p)
		} else {
			got, err = tr.Lstat(p)
		}
		if err != nil {
			t.Fatalf("%s: %v", c.p, err)
		}
		want, err := os.Lstat(filepath.Join(tree, c.real))
		if err != nil {
			t.Fatal(err)
		}
		if got.Name() != want.Name() || got.Mode() != want.Mode() || got.Size() != want.Size() || !os.SameFile(got, want) {
			t.Errorf("%s (follow %v): got %s %v %d, want %s %v %d", c.p, c.follow, got.Name(), got.Mode(), got.Size(), want.Name(), want.Mode(), want.Size())
		}
	}
	if len(tr.dirs) != 2 {
		t.Errorf("directories taken: %v, want hosts and hosts/a", tr.dirs)
	}
	// hosts/a becomes a symlink out of the tree; once a root is added
	// (which forgets every walk), a file below it is refused.
	if err := os.RemoveAll(filepath.Join(tree, "hosts/a")); err != nil {
		t.Fatal(err)
	}
	link(t, filepath.Join(base, "outside"), filepath.Join(tree, "hosts/a"))
	tr.Add(filepath.Join(base, "other"))
	if _, err := tr.Stat(filepath.Join(tree, "hosts/a/nix.nix")); !errors.Is(err, ErrSymlinkOut) {
		t.Errorf("after the swap: got %v, want %v", err, ErrSymlinkOut)
	}
	if _, err := tr.ReadFile(filepath.Join(tree, "hosts/a/nix.nix"), 100); !errors.Is(err, ErrSymlinkOut) {
		t.Errorf("read after the swap: got %v, want %v", err, ErrSymlinkOut)
	}
}
