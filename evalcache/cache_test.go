package evalcache

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nixbuild-lint/nixbuild-lint/model"
)

func write(t *testing.T, p, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func key(t *testing.T, root string, overrides ...string) string {
	t.Helper()
	k, err := Key(root, overrides, []string{"eval nix"})
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// TestKey: the key changes with any file's content, a new file, a path:
// override's content and a setting, and with nothing else; in a git work
// tree, ignored files do not count.
func TestKey(t *testing.T) {
	for _, git := range []bool{false, true} {
		root := t.TempDir()
		write(t, filepath.Join(root, "flake.nix"), "{ }")
		write(t, filepath.Join(root, "hosts/a.nix"), "{ }")
		if git {
			if out, err := exec.Command("git", "-C", root, "init", "-q").CombinedOutput(); err != nil {
				t.Fatalf("git init: %v %s", err, out)
			}
			write(t, filepath.Join(root, ".gitignore"), "result\n")
		}
		over := t.TempDir()
		write(t, filepath.Join(over, "flake.nix"), "{ }")
		base := key(t, root, "nixpkgs=path:"+over)
		if again := key(t, root, "nixpkgs=path:"+over); again != base {
			t.Fatalf("git %v: the key of an unchanged tree changed", git)
		}
		write(t, filepath.Join(root, "hosts/a.nix"), "{ networking.hostName = \"a\"; }")
		k1 := key(t, root, "nixpkgs=path:"+over)
		write(t, filepath.Join(root, "hosts/b.nix"), "{ }")
		k2 := key(t, root, "nixpkgs=path:"+over)
		write(t, filepath.Join(over, "flake.nix"), "{ outputs = _: { }; }")
		k3 := key(t, root, "nixpkgs=path:"+over)
		k4, _ := Key(root, []string{"nixpkgs=path:" + over}, []string{"eval auto"})
		seen := map[string]bool{base: true}
		for i, k := range []string{k1, k2, k3, k4} {
			if seen[k] {
				t.Errorf("git %v: change %d kept the key", git, i+1)
			}
			seen[k] = true
		}
		if git {
			write(t, filepath.Join(root, "result"), "a build result")
			if key(t, root, "nixpkgs=path:"+over) != k3 {
				t.Error("an ignored file changed the key")
			}
		}
	}
}

// TestLoadRefuses: an entry that does not decode, records another key or
// format, or holds no Nix model is ignored; a sound one is found.
func TestLoadRefuses(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	k := strings.Repeat("a", 64)
	if _, ok := Load(k); ok {
		t.Fatal("an empty cache had an entry")
	}
	if err := Store(k, &Entry{Fleet: &model.Fleet{Eval: "nix", Hosts: []*model.Host{{Name: "pi"}}}}); err != nil {
		t.Fatal(err)
	}
	e, ok := Load(k)
	if !ok || e.Fleet.Hosts[0].Name != "pi" {
		t.Fatalf("a sound entry was not found: %+v", e)
	}
	p := filepath.Join(Dir(), k+".json")
	good, _ := os.ReadFile(p)
	for name, data := range map[string]string{
		"corrupt":     `{"format": 1, "key": "` + k + `", "fleet": {"eval": "nix", "hosts": [`,
		"foreign key": strings.Replace(string(good), k, strings.Repeat("b", 64), 1),
		"old format":  strings.Replace(string(good), `"format":1`, `"format":0`, 1),
		"static":      `{"format":1,"key":"` + k + `","fleet":{"eval":"static","hosts":[]}}`,
	} {
		write(t, p, data)
		if _, ok := Load(k); ok {
			t.Errorf("%s entry was trusted", name)
		}
	}
	des, _ := os.ReadDir(Dir())
	for _, d := range des {
		if strings.HasSuffix(d.Name(), ".tmp") {
			t.Errorf("a temporary file was left: %s", d.Name())
		}
	}
}

// TestPrune: past MaxEntries, the entries used longest ago go.
func TestPrune(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	keyOf := func(i int) string { return strings.Repeat("0", 60) + fmt.Sprintf("%04d", i) }
	for i := 0; i < MaxEntries+2; i++ {
		if err := Store(keyOf(i), &Entry{NixFailed: "offline"}); err != nil {
			t.Fatal(err)
		}
		old := time.Unix(int64(1000+i), 0)
		if err := os.Chtimes(filepath.Join(Dir(), keyOf(i)+".json"), old, old); err != nil {
			t.Fatal(err)
		}
	}
	if err := Store(keyOf(9999), &Entry{NixFailed: "offline"}); err != nil {
		t.Fatal(err)
	}
	des, _ := os.ReadDir(Dir())
	if len(des) != MaxEntries {
		t.Errorf("%d entries, want %d", len(des), MaxEntries)
	}
	for _, i := range []int{0, 1, 2} {
		if _, ok := Load(keyOf(i)); ok {
			t.Errorf("entry %d, among the oldest, was kept", i)
		}
	}
	if _, ok := Load(keyOf(9999)); !ok {
		t.Error("the newest entry was pruned")
	}
}
