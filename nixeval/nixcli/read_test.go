package nixcli

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nixbuild-lint/nixbuild-lint/model"
)

// noBase is a static reading that found nothing (the static reader is
// tested on its own; here only Nix's side matters).
type noBase struct{}

func (noBase) Static() *model.Fleet                  { return nil }
func (noBase) Place(map[string][]string) *model.Host { return nil }

// TestBrokenHostAtNixPosition: with the real nix, one host that does not
// evaluate is reported at the file and line Nix names, with Nix's first
// sentence, and the other host is still read.
func TestBrokenHostAtNixPosition(t *testing.T) {
	if _, err := exec.LookPath("nix"); err != nil {
		t.Fatal("nix not found (scripts/test.sh installs nix-bin)")
	}
	dir := t.TempDir()
	files := map[string]string{
		"flake.nix": `{ outputs = { self }: { nixosConfigurations = {
  good = { config = { networking.hostName = "good"; nix.buildMachines = [ ]; }; pkgs.stdenv.hostPlatform.system = "x86_64-linux"; };
  bad = import ./bad.nix; }; }; }`,
		"bad.nix": "{\n  config = undefinedThing;\n}\n",
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	fleet, failed, err := Read(context.Background(), dir, noBase{}, Options{Offline: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(failed) != 1 || failed[0].Host != "bad" || failed[0].File != "bad.nix" || failed[0].Line != 2 {
		t.Fatalf("failed %+v", failed)
	}
	why, col := nixWhy(failed[0])
	if !strings.Contains(why, "undefined variable 'undefinedThing'") || col != 12 {
		t.Errorf("why %q col %d", why, col)
	}
	var names []string
	for _, h := range fleet.Hosts {
		names = append(names, h.Name+":"+h.System.V)
	}
	if strings.Join(names, " ") != "good:x86_64-linux bad:" {
		t.Errorf("hosts %v", names)
	}
}
