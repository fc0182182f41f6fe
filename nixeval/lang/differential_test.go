package lang

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nixbuild-lint/nixbuild-lint/internal/fleetgen"
)

// TestDifferentialParse: the reader accepts exactly the files that Nix's own
// parser (nix-instantiate --parse, Debian's Nix 2.8) accepts: the parse
// corpus, every fixture and a generated fleet. Files with pipe operators
// are left out: Nix 2.8 predates them.
func TestDifferentialParse(t *testing.T) {
	nix, err := exec.LookPath("nix-instantiate")
	if err != nil {
		t.Fatal("nix-instantiate not found: install nix-bin (scripts/test.sh does)")
	}
	var files []string
	for _, root := range []string{"../../testdata/parse", "../../testdata/configs"} {
		_ = filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
			if err == nil && strings.HasSuffix(p, ".nix") {
				files = append(files, p)
			}
			return nil
		})
	}
	gen := t.TempDir()
	if _, err := fleetgen.Write(gen, 10); err != nil {
		t.Fatal(err)
	}
	_ = filepath.Walk(gen, func(p string, info os.FileInfo, err error) error {
		if err == nil && strings.HasSuffix(p, ".nix") {
			files = append(files, p)
		}
		return nil
	})
	accepted, rejected := 0, 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(data), "|>") || strings.Contains(string(data), "<|") {
			continue
		}
		cmd := exec.Command(nix, "--parse", f)
		cmd.Env = append(os.Environ(), "NIX_PATH=nixpkgs=/nonexistent")
		out, nixErr := cmd.CombinedOutput()
		_, ourErr := ParseSource(NewSource(f, f, data))
		if (nixErr == nil) != (ourErr == nil) {
			t.Errorf("%s: nix accepts: %v, reader accepts: %v\nnix: %s\nreader: %v", f, nixErr == nil, ourErr == nil, firstLine(string(out)), ourErr)
		}
		if nixErr == nil {
			accepted++
		} else {
			rejected++
		}
	}
	t.Logf("%d files accepted and %d rejected by both", accepted, rejected)
	if accepted < 50 || rejected < 5 {
		t.Errorf("too few files compared: %d accepted, %d rejected", accepted, rejected)
	}
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}
