package nixeval

import (
	"path/filepath"
	"testing"
)

// TestRelFastPath: the reader's shortcut for paths below the root gives
// what filepath.Rel gives, for clean and unclean paths alike.
func TestRelFastPath(t *testing.T) {
	for _, root := range []string{"/src/fleet", "/"} {
		r := &Reader{Root: root}
		for _, p := range []string{
			"/src/fleet/flake.nix", "/src/fleet/hosts/pi/default.nix", "/src/fleet", "/src/fleet/",
			"/src/fleet/./a.nix", "/src/fleet/a/../b.nix", "/src/fleet//a.nix", "/src/fleet/a/", "/src/fleet/..",
			"/src/fleetx/a.nix", "/src/other/a.nix", "/etc/nixos/hardware-configuration.nix", "/src/fleet/.hidden/a.nix",
			"/src/fleet/a..b/c.nix", "/src/fleet/a/.", "/",
		} {
			want, err := filepath.Rel(root, p)
			if err != nil {
				want = p
			}
			want = filepath.ToSlash(want)
			if got := r.rel(p); got != want {
				t.Errorf("root %s: rel(%q) = %q, want %q", root, p, got, want)
			}
		}
	}
}
