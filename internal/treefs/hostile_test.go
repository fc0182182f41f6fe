package treefs

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

func mkfile(t *testing.T, p, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func link(t *testing.T, target, p string) {
	t.Helper()
	if err := os.Symlink(target, p); err != nil {
		t.Fatal(err)
	}
}

// TestHostileResolve: every symlink is followed and what lands outside the
// roots is refused, however it gets there.
func TestHostileResolve(t *testing.T) {
	base := t.TempDir()
	tree := filepath.Join(base, "tree")
	mkfile(t, filepath.Join(tree, "a/file.nix"), "{ }")
	mkfile(t, filepath.Join(base, "outside/secret"), "secret")
	link(t, "a/file.nix", filepath.Join(tree, "in.nix"))                       // inside
	link(t, "../tree/a/file.nix", filepath.Join(tree, "back.nix"))             // out and back in
	link(t, filepath.Join(base, "outside/secret"), filepath.Join(tree, "abs")) // absolute, out
	link(t, "../outside/secret", filepath.Join(tree, "rel"))                   // relative, out
	link(t, "abs", filepath.Join(tree, "chain"))                               // inside, then out
	link(t, filepath.Join(base, "outside"), filepath.Join(tree, "dir"))        // a directory, out
	link(t, "a/..", filepath.Join(tree, "up"))                                 // the tree itself
	link(t, "up/../outside/secret", filepath.Join(tree, "climb"))              // out through ..
	link(t, "loop", filepath.Join(tree, "loop"))
	link(t, "/proc/self/environ", filepath.Join(tree, "env"))
	tr := New(tree)
	cases := []struct {
		p    string
		want error
	}{
		{"in.nix", nil},
		{"back.nix", nil},
		{"a/file.nix", nil},
		{"up/a/file.nix", nil},
		{"abs", ErrSymlinkOut},
		{"rel", ErrSymlinkOut},
		{"chain", ErrSymlinkOut},
		{"dir/secret", ErrSymlinkOut},
		{"climb", ErrSymlinkOut},
		{"loop", ErrLoop},
		{"env", ErrSymlinkOut},
		{"../outside/secret", ErrOutside},
		{"a/../../outside/secret", ErrOutside},
		{"missing", fs.ErrNotExist},
	}
	for _, c := range cases {
		_, err := tr.ReadFile(filepath.Join(tree, c.p), 1<<20)
		if c.want == nil && err != nil || c.want != nil && !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, want %v", c.p, err, c.want)
		}
	}
}

// TestHostileSpecialFiles: a FIFO or a device is refused before anything
// waits on it or reads it; a file over the limit is refused.
func TestHostileSpecialFiles(t *testing.T) {
	tree := t.TempDir()
	fifo := filepath.Join(tree, "fifo.nix")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	link(t, "/dev/zero", filepath.Join(tree, "zero.nix"))
	mkfile(t, filepath.Join(tree, "big"), "0123456789")
	tr := New(tree, "/dev")
	for _, p := range []string{fifo, filepath.Join(tree, "zero.nix")} {
		if _, err := tr.ReadFile(p, 1<<20); !errors.Is(err, ErrNotRegular) {
			t.Errorf("%s: got %v, want not a regular file", p, err)
		}
		if _, err := ReadRegular(p, 1<<20); !errors.Is(err, ErrNotRegular) {
			t.Errorf("%s (named by the user): got %v, want not a regular file", p, err)
		}
	}
	if _, err := tr.ReadFile(filepath.Join(tree, "big"), 9); !errors.Is(err, ErrTooLarge) {
		t.Errorf("got %v, want too large", err)
	}
	if data, err := tr.ReadFile(filepath.Join(tree, "big"), 10); err != nil || string(data) != "0123456789" {
		t.Errorf("at the limit: %q, %v", data, err)
	}
	var e *Error
	_, err := ReadRegular(fifo, 10)
	if !errors.As(err, &e) || e.Error() != fifo+": a FIFO, not a regular file" {
		t.Errorf("message: %v", err)
	}
}

// TestHostileTracked: in a git root only tracked files (and the
// directories holding them) are there; .git never is.
func TestHostileTracked(t *testing.T) {
	tree := t.TempDir()
	mkfile(t, filepath.Join(tree, "flake.nix"), "{ }")
	mkfile(t, filepath.Join(tree, "hosts/a.nix"), "{ }")
	mkfile(t, filepath.Join(tree, ".env"), "TOKEN=x")
	mkfile(t, filepath.Join(tree, "hosts/untracked.nix"), "{ }")
	mkfile(t, filepath.Join(tree, ".git/config"), "")
	tr := &Tree{}
	tr.AddTracked(tree, []string{"flake.nix", "hosts/a.nix"})
	for p, want := range map[string]error{"flake.nix": nil, "hosts/a.nix": nil, ".env": ErrUntracked, "hosts/untracked.nix": ErrUntracked, ".git/config": ErrUntracked} {
		if _, err := tr.ReadFile(filepath.Join(tree, p), 100); want == nil && err != nil || want != nil && !errors.Is(err, want) {
			t.Errorf("%s: got %v, want %v", p, err, want)
		}
	}
	ents, err := tr.ReadDir(tree)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	if len(names) != 2 || names[0] != "flake.nix" || names[1] != "hosts" {
		t.Errorf("readDir lists %v, want [flake.nix hosts]", names)
	}
}
