package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOutsideImportsNotRead: the fleet outside-import-fleet imports
// /etc/nixos/hardware-configuration.nix and ~/.config/nixos/secrets.nix in
// a host's imports and ./../../../../outside-builder.nix in flake.nix's modules
// list. With real files planted at the relative and the home path (each
// would add a build machine named by the secret marker), nothing of them
// is read: both hosts are read, each such import is one module not read
// named by file:line, the finding no module could change stays a warning
// and the one a module of the builder could change is lowered to info.
func TestOutsideImportsNotRead(t *testing.T) {
	base := t.TempDir()
	tree := filepath.Join(base, "a", "b", "c", "fleet")
	if err := os.MkdirAll(filepath.Dir(tree), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(copyFleet(t, "outside-import-fleet"), tree); err != nil {
		t.Fatal(err)
	}
	evil := `{ ... }: { nix.buildMachines = [ { hostName = "` + secretMarker + `"; systems = [ "x86_64-linux" ]; } ]; }` + "\n"
	writeFile(t, filepath.Join(base, "outside-builder.nix"), evil) // ./../../../../outside-builder.nix of flake.nix
	home := filepath.Join(base, "home")
	writeFile(t, filepath.Join(home, ".config/nixos/secrets.nix"), evil)
	t.Setenv("HOME", home)

	out, errOut, code := runCLI("hosts", "--eval", "static", "--format", "json", tree)
	noLeak(t, out, errOut)
	if code != 0 {
		t.Fatalf("hosts: exit %d\n%s", code, errOut)
	}
	var m struct {
		Hosts []struct {
			Name          string
			UnreadModules []string
		}
	}
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, h := range m.Hosts {
		got[h.Name] = strings.Join(h.UnreadModules, "\n")
	}
	want := map[string]string{
		"pi": "hosts/pi/default.nix:4:15: import of /etc/nixos/hardware-configuration.nix, outside the tree\n" +
			"hosts/pi/default.nix:4:68: home-relative path ~/.config/nixos/secrets.nix",
		"ritchie": "flake.nix:22:60: import of /etc/nixos/hardware-configuration.nix, outside the tree\n" +
			"flake.nix:22:98: import of ../../../../outside-builder.nix, outside the tree",
	}
	for name, w := range want {
		if got[name] != w {
			t.Errorf("host %s: modules not read\n%s\nwant\n%s", name, got[name], w)
		}
	}
	if len(got) != 2 {
		t.Errorf("hosts read: %v, want pi and ritchie", got)
	}

	out, errOut, code = runCLI("--color", "never", "--eval", "static", tree)
	noLeak(t, out, errOut)
	if code != 1 || !strings.Contains(out, "1 warning, 1 info (bad-speed-factor: 1, builder-user-no-authorized-key: 1)") ||
		!strings.Contains(out, "unless a module of host ritchie that was not read defines users.users.nixremote.openssh.authorizedKeys.keys (flake.nix:22:60: import of /etc/nixos/hardware-configuration.nix, outside the tree and 1 more") {
		t.Errorf("exit %d, want 1 with the warning kept and the info lowered:\n%s%s", code, out, errOut)
	}
}
