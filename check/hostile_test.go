package check

import (
	"os"
	"path/filepath"
	"runtime"
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
