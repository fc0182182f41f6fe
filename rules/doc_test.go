package rules

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite docs/rules")

// TestRulePagesUpToDate: docs/rules/<name>.md is the rule's own
// documentation, as `nixbuild-lint rules <name>` prints it; a stale page
// fails (go test ./rules -update rewrites them), and so does a page for a
// rule that no longer exists.
func TestRulePagesUpToDate(t *testing.T) {
	dir := "../docs/rules"
	want := map[string]bool{}
	for _, r := range All() {
		name := r.Name + ".md"
		want[name] = true
		path := filepath.Join(dir, name)
		if *update {
			if err := os.WriteFile(path, []byte(Doc(r)), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil || string(got) != Doc(r) {
			t.Errorf("%s is stale or missing: run go test ./rules -update", path)
		}
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if !want[e.Name()] && e.Name() != "README.md" {
			t.Errorf("docs/rules/%s documents no rule", e.Name())
		}
	}
}

func TestSuggestSystem(t *testing.T) {
	for in, want := range map[string]string{
		"arm64-linux": "aarch64-linux", "aarch64": "aarch64-linux", "x86_64_linux": "x86_64-linux",
		"amd64-linux": "x86_64-linux", "arm64-darwin": "aarch64-darwin", "AARCH64-LINUX": "aarch64-linux",
		"x86_64-linux": "x86_64-linux", "banana": "",
	} {
		if got := SuggestSystem(in); got != want {
			t.Errorf("SuggestSystem(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestBareHost(t *testing.T) {
	for in, want := range map[string]string{
		"ssh-ng://nixremote@ritchie?remote-program=/x": "ritchie",
		"root@ritchie:2222":                            "ritchie", "ritchie": "ritchie", "fe80::1": "fe80::1",
	} {
		if got := BareHost(in); got != want {
			t.Errorf("BareHost(%q) = %q, want %q", in, got, want)
		}
	}
}
