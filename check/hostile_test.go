package check

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
)

// TestHostileCopyBigFile: the copy --fix re-checks with Nix in streams a
// big file (a disk image in the tree) instead of reading it whole.
func TestHostileCopyBigFile(t *testing.T) {
	root := t.TempDir()
	img := filepath.Join(root, "disk.img")
	if err := os.WriteFile(filepath.Join(root, "flake.nix"), []byte("{ }"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(img, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(img, 128<<20); err != nil {
		t.Skip("no sparse files:", err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	tmp, err := CopyWithOverlay(root, nil)
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = os.RemoveAll(tmp) }()
	if grown := after.TotalAlloc - before.TotalAlloc; grown > 16<<20 {
		t.Errorf("copying a 128 MB file allocated %d MB", grown>>20)
	}
	if st, err := os.Stat(filepath.Join(tmp, "disk.img")); err != nil || st.Size() != 128<<20 {
		t.Errorf("the copy: %v %v", st, err)
	}
}

// TestHostileCopyTracked: in a git work tree the copy Nix is given holds
// what git tracks and nothing else: not an ignored .env, not an untracked
// file, not .git; a symlink to a tracked file of the tree stays a
// (relative) symlink to the same file of the copy, and one that leaves the
// tree, or leads to an untracked file, is not copied.
func TestHostileCopyTracked(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	outside := t.TempDir()
	root := t.TempDir()
	write := func(rel, content string) {
		t.Helper()
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	link := func(target, rel string) {
		t.Helper()
		if err := os.Symlink(target, filepath.Join(root, rel)); err != nil {
			t.Fatal(err)
		}
	}
	write("flake.nix", "{ }")
	write("hosts/a.nix", "{ }")
	write(".gitignore", ".env\n")
	if err := os.WriteFile(filepath.Join(outside, "secret"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	link("./hosts/a.nix", "keys")
	link("../flake.nix", "hosts/b.nix")
	link("../hosts/a.nix", "up")
	link(filepath.Join(root, "hosts/a.nix"), "abs")
	link(filepath.Join(outside, "secret"), "out")
	link(".env", "env")
	for _, args := range [][]string{{"init", "-q"}, {"add", "-A"}, {"commit", "-qm", "x"}} {
		cmd := exec.Command("git", append([]string{"-c", "user.email=t@t", "-c", "user.name=t"}, args...)...)
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	write(".env", "TOKEN=x")
	write("hosts/untracked.nix", "{ }")
	tmp, err := CopyWithOverlay(root, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = os.RemoveAll(tmp) }()
	var got []string
	_ = filepath.WalkDir(tmp, func(p string, d fs.DirEntry, err error) error {
		rel, _ := filepath.Rel(tmp, p)
		if d.Type()&fs.ModeSymlink != 0 {
			to, _ := os.Readlink(p)
			rel += " -> " + to
		}
		got = append(got, rel)
		return err
	})
	want := []string{".", ".gitignore", "abs -> hosts/a.nix", "flake.nix", "hosts", "hosts/a.nix", "hosts/b.nix -> ../flake.nix", "keys -> hosts/a.nix"}
	if !slices.Equal(got, want) {
		t.Errorf("the copy:\n%q\nwant\n%q", got, want)
	}
}
