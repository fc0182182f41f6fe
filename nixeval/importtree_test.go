package nixeval

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/nixbuild-lint/nixbuild-lint/internal/standin"
)

// TestImportTreeReaderLib: import-tree in the store without nixpkgs' lib
// (what --fetch-inputs gives: it fetches import-tree, not nixpkgs) runs
// on the reader's own lib in a host's imports: the host's files are the
// .nix files below its directory in import-tree's order, the _ ones left
// out, and its values are read.
func TestImportTreeReaderLib(t *testing.T) {
	tmp := standin.Vendored(t, "..", "import-tree")
	writeFiles(t, tmp, map[string]string{
		"np/flake.nix": `{ outputs = _: { }; }`,
		"fleet/flake.nix": `{
  inputs.nixpkgs.url = "path:` + filepath.Join(tmp, "np") + `";
  inputs.import-tree.url = "path:` + filepath.Join(tmp, "import-tree") + `";
  outputs = { self, nixpkgs, import-tree }: {
    nixosConfigurations.pi = nixpkgs.lib.nixosSystem {
      system = "aarch64-linux";
      modules = [ (import-tree ./pi) ];
    };
  };
}`,
		"fleet/pi/nix.nix":        `{ nix.settings.trusted-users = [ "b" ]; }`,
		"fleet/pi/nix/builds.nix": `{ nix.distributedBuilds = true; nix.settings.trusted-users = [ "a" ]; }`,
		"fleet/pi/_off.nix":       `{ nix.distributedBuilds = false; }`,
	})
	fleet := filepath.Join(tmp, "fleet")
	nixFlakeLock(t, fleet)
	f, err := NewReader(fleet).Read(fleet, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !readFromStoreAs(f.StoreInputs, "import-tree") {
		t.Errorf("import-tree not read from the store: %v", f.StoreInputs)
	}
	h := f.Hosts[0]
	if got := strings.Join(h.Files, " "); got != "flake.nix pi/nix/builds.nix pi/nix.nix" {
		t.Errorf("files %q", got)
	}
	if !h.Distribute.V || h.Distribute.Unknown || strings.Join(h.Trusted.V, " ") != "root a b" || len(h.Unread) != 0 {
		t.Errorf("distributedBuilds %+v, trusted-users %q, unread %q", h.Distribute, h.Trusted.V, h.Unread)
	}
}

// readFromStoreAs reports whether an input named name was read from the
// store.
func readFromStoreAs(inputs map[string]string, name string) bool {
	for _, n := range inputs {
		if n == name {
			return true
		}
	}
	return false
}
