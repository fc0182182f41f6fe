package evalcache

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"
)

// gitRepo makes root a git repository with its files committed.
func gitRepo(t *testing.T, root string) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	for _, args := range [][]string{
		{"init", "-q"}, {"add", "-A"},
		{"-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "x"},
	} {
		cmd := exec.Command("git", args...)
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
}

// TestHostileGitConfigRunsNothing: a repository's core.fsmonitor (and
// hooks) name programs git would run while the cache key lists the files;
// none of them runs.
func TestHostileGitConfigRunsNothing(t *testing.T) {
	root := t.TempDir()
	write(t, filepath.Join(root, "flake.nix"), "{ }")
	gitRepo(t, root)
	ran := filepath.Join(t.TempDir(), "ran")
	script := filepath.Join(root, "evil.sh")
	write(t, script, "#!/bin/sh\ntouch "+ran+"\nexit 1\n")
	if err := os.Chmod(script, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, kv := range [][2]string{{"core.fsmonitor", script}, {"core.hooksPath", root}, {"core.pager", script}} {
		cmd := exec.Command("git", "config", kv[0], kv[1])
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git config: %v\n%s", err, out)
		}
	}
	k1 := key(t, root)
	if _, err := os.Stat(ran); err == nil {
		t.Fatal("computing the cache key ran the repository's core.fsmonitor")
	}
	// git still gave the list: an ignored file does not change the key.
	write(t, filepath.Join(root, ".gitignore"), "ignored\n")
	k2 := key(t, root)
	write(t, filepath.Join(root, "ignored"), "x")
	if key(t, root) != k2 || k1 == k2 {
		t.Error("the key no longer follows git's view of the tree")
	}
}

// TestHostileBigAndSpecialFiles: a 3 GB sparse disk image in the tree is
// keyed without reading it into memory; a FIFO is never opened (it would
// block), a change of the image's size is a new key.
func TestHostileBigAndSpecialFiles(t *testing.T) {
	root := t.TempDir()
	write(t, filepath.Join(root, "flake.nix"), "{ }")
	img := filepath.Join(root, "hosts/disk.img")
	write(t, img, "")
	if err := os.Truncate(img, 3<<30); err != nil {
		t.Skip("no sparse files here:", err)
	}
	if err := syscall.Mkfifo(filepath.Join(root, "hosts/fifo"), 0o644); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	done := make(chan string, 1)
	go func() {
		k, err := Key(root, nil, nil)
		if err != nil {
			t.Error(err)
		}
		done <- k
	}()
	var k1 string
	select {
	case k1 = <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("the cache key blocks (on the FIFO)")
	}
	runtime.ReadMemStats(&after)
	if grown := after.TotalAlloc - before.TotalAlloc; grown > 64<<20 {
		t.Errorf("keying the tree allocated %d MB", grown>>20)
	}
	if err := os.Truncate(img, 2<<30); err != nil {
		t.Fatal(err)
	}
	if k2, _ := Key(root, nil, nil); k2 == k1 {
		t.Error("a changed disk image did not change the key")
	}
}
