package nixeval

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/nixbuild-lint/nixbuild-lint/model"
)

// unreadOf is what hosts lists as not read on h, one note a line.
func unreadOf(h *model.Host) string {
	return strings.Join(h.Unread, "\n")
}

func hostByName(f *model.Fleet, name string) *model.Host {
	for _, h := range f.Hosts {
		if h.Name == name {
			return h
		}
	}
	return nil
}

// TestUnifiedAutoWire: the fixture fleet autowired by nixos-unified
// (lib.mkFlake, flakeModules.default and autoWire) has a host for each
// configurations/<class>/<name>.nix or <name>/default.nix, defined at the
// autoWire import; the flake's own autowired modules
// (self.nixosModules.<name>, self.darwinModules.<name>) and a
// `self + /modules/…` path are read, nixos-unified's max-jobs default is
// shown where the system is made, and modules/flake-parts (later in
// nixos-unified's order than modules/flake) is not imported.
func TestUnifiedAutoWire(t *testing.T) {
	dir, err := filepath.Abs("../testdata/configs/unified-autowire")
	if err != nil {
		t.Fatal(err)
	}
	f, err := NewReader(dir).Read(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := hostNames(f), "hub:x86_64-linux mac:aarch64-darwin pi:aarch64-linux"; got != want {
		t.Fatalf("hosts %s, want %s", got, want)
	}
	for _, h := range f.Hosts {
		if d := h.Defined; d.File != "modules/flake/toplevel.nix" || d.Line != 5 {
			t.Errorf("host %s defined at %s:%d, want the autoWire import, modules/flake/toplevel.nix:5", h.Name, d.File, d.Line)
		}
		if m := h.MaxJobs; m.V != "auto" || m.At.File != "modules/flake/toplevel.nix" || m.At.Line != 5 {
			t.Errorf("host %s max-jobs %q at %s:%d, want nixos-unified's mkDefault \"auto\" at modules/flake/toplevel.nix:5", h.Name, m.V, m.At.File, m.At.Line)
		}
	}
	wantFiles := map[string]string{
		"hub": "configurations/nixos/hub/default.nix modules/nixos/builder-user.nix",
		"pi":  "configurations/nixos/pi.nix modules/nixos/client.nix",
		"mac": "configurations/darwin/mac.nix modules/darwin/linux-builds.nix",
	}
	for name, want := range wantFiles {
		if got := strings.Join(hostByName(f, name).Files, " "); got != want {
			t.Errorf("%s files %s, want %s", name, got, want)
		}
	}
	hub := hostByName(f, "hub")
	if len(hub.Users) != 1 || hub.Users[0].Name != "builder" || len(hub.Trusted.V) == 0 {
		t.Errorf("hub's builder user (self.nixosModules.builder-user) not read: users %v, trusted %v", hub.Users, hub.Trusted.V)
	}
	pi := hostByName(f, "pi")
	if len(pi.Machines.Entries) != 1 || pi.Machines.Entries[0].HostName.V != "hub" {
		t.Errorf("pi's build machines (self + /modules/nixos/client.nix) not read: %+v", pi.Machines)
	}
}

// unifiedFleet is a flake of nixos-unified's lib.mkFlake with the given
// files under root.
func unifiedFleet(files map[string]string) map[string]string {
	out := map[string]string{
		"flake.nix": `{ ` + nixpkgsInput + ` inputs.flake-parts.url = "github:hercules-ci/flake-parts"; inputs.nixos-unified.url = "github:srid/nixos-unified";
  outputs = inputs: inputs.nixos-unified.lib.mkFlake { inherit inputs; root = ./.; }; }`,
	}
	for k, v := range files {
		out[k] = v
	}
	return out
}

// TestUnified: nixos-unified's lib and flake modules as its versions
// have them, the input known by its lock under any name, mkFlake's order
// of module directories, and the reason when nothing is read.
func TestUnified(t *testing.T) {
	host := func(sys string) string { return `{ nixpkgs.hostPlatform = "` + sys + `"; }` }
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string // hosts, or the error
	}{
		{"mkFlake takes the first directory: nix/modules/flake", unifiedFleet(map[string]string{
			"nix/modules/flake/hosts.nix": `{ self, ... }: { imports = [ self.inputs.nixos-unified.flakeModules.default ]; flake.nixosConfigurations.a = self.nixos-unified.lib.mkLinuxSystem { home-manager = false; } ../../../a.nix; }`,
			"modules/flake/hosts.nix":     `{ inputs, ... }: { flake.nixosConfigurations.b = inputs.nixpkgs.lib.nixosSystem { modules = [ ./b.nix ]; }; }`,
			"a.nix":                       host("x86_64-linux"),
		}), "a:x86_64-linux"},
		{"no module directory: the reason", unifiedFleet(map[string]string{"a.nix": host("x86_64-linux")}),
			"none of nix/modules/flake, modules/flake, nix/modules/flake-parts, modules/flake-parts exists under root"},
		{"nixos-flake: old names, the module given directly, a system first", map[string]string{
			"flake.nix": `{ ` + nixpkgsInput + ` inputs.flake-parts.url = "github:hercules-ci/flake-parts"; inputs.nixos-flake.url = "github:srid/nixos-flake";
  outputs = inputs@{ self, ... }: inputs.flake-parts.lib.mkFlake { inherit inputs; } {
    imports = [ inputs.nixos-flake.flakeModule ];
    flake.nixosConfigurations.a = self.nixos-flake.lib.mkLinuxSystem { nixpkgs.hostPlatform = "x86_64-linux"; imports = [ self.nixosModules.home-manager ]; };
    flake.nixosConfigurations.b = self.nixos-flake.lib.mkLinuxSystem "aarch64-linux" { };
    flake.darwinConfigurations.m = self.nixos-flake.lib.mkARMMacosSystem { imports = [ self.darwinModules_.home-manager ]; };
    flake.darwinConfigurations.i = self.nixos-flake.lib.mkIntelMacosSystem ./i.nix;
  }; }`,
			"i.nix": `{ flake, ... }: { networking.hostName = flake.self.nixosConfigurations.a.config.nixpkgs.hostPlatform; }`,
		}, "a:x86_64-linux b:aarch64-linux i:x86_64-darwin m:aarch64-darwin"},
		{"known by its lock under another name", map[string]string{
			"flake.nix": `{ ` + nixpkgsInput + ` inputs.flake-parts.url = "github:hercules-ci/flake-parts"; inputs.nu.url = "github:someone/fork";
  outputs = inputs: inputs.nu.lib.mkFlake { inherit inputs; root = ./.; }; }`,
			"flake.lock": `{ "nodes": { "root": { "inputs": { "nu": "nu" } },
  "nu": { "locked": { "type": "github", "owner": "srid", "repo": "nixos-flake", "rev": "0000000000000000000000000000000000000000" },
          "original": { "type": "github", "owner": "srid", "repo": "nixos-flake" } } },
  "root": "root", "version": 7 }`,
			"modules/flake/top.nix":              `{ inputs, ... }: { imports = [ inputs.nu.flakeModules.default inputs.nu.flakeModules.autoWire ]; }`,
			"configurations/nixos/a.nix":         host("x86_64-linux"),
			"configurations/nixos/b/default.nix": host("aarch64-linux"),
			"configurations/nixos/c/x.nix":       host("aarch64-linux"), // no default.nix: not a host
			"configurations/nixos/README.md":     "not a host",
		}, "a:x86_64-linux b:aarch64-linux"},
		{"an input named nixos-flake, no url", map[string]string{
			"flake.nix": `{ ` + nixpkgsInput + ` inputs.flake-parts.url = "github:hercules-ci/flake-parts";
  outputs = inputs@{ nixos-flake, ... }: nixos-flake.lib.mkFlake { inherit inputs; root = ./.; }; }`,
			"modules/flake-parts/top.nix":   `{ inputs, ... }: { imports = [ inputs.nixos-flake.flakeModules.autoWire ]; }`,
			"configurations/darwin/mac.nix": host("aarch64-darwin"),
		}, "mac:aarch64-darwin"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeTree(t, tc.files)
			f, err := NewReader(dir).Read(dir, nil)
			if err != nil {
				if !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("error %v, want %s", err, tc.want)
				}
				return
			}
			if got := hostNames(f); got != tc.want {
				t.Errorf("hosts %s, want %s", got, tc.want)
			}
			if tc.name == "nixos-flake: old names, the module given directly, a system first" {
				if i := hostByName(f, "i"); i != nil && i.HostName.V != "x86_64-linux" {
					t.Errorf("host i: the module argument flake does not reach the other hosts: hostName %+v", i.HostName)
				}
			}
		})
	}
}

// TestUnifiedHomeManagerFlag: mk*System { home-manager = true; } adds
// home-manager's module of the platform (here an input without source:
// listed as not read, at the call), false adds nothing, and a flag the
// reader cannot compute is named.
func TestUnifiedHomeManagerFlag(t *testing.T) {
	for _, tc := range []struct{ flag, want string }{
		{"true", "flake.nix:4:97: module of flake input home-manager home-manager"},
		{"false", ""},
		{"inputs.h.enable", "flake.nix:4:89: nixos-unified's home-manager setting is not a known bool: stand-in for flake input h.enable"},
	} {
		t.Run(tc.flag, func(t *testing.T) {
			f := readTree(t, map[string]string{
				"flake.nix": `{ ` + nixpkgsInput + ` inputs.flake-parts.url = "github:hercules-ci/flake-parts"; inputs.nixos-unified.url = "github:srid/nixos-unified"; inputs.home-manager.url = "github:nix-community/home-manager"; inputs.h.url = "github:someone/h";
  outputs = inputs@{ self, ... }: inputs.flake-parts.lib.mkFlake { inherit inputs; } {
    imports = [ inputs.nixos-unified.flakeModules.default ];
    flake.nixosConfigurations.a = self.nixos-unified.lib.mkLinuxSystem { home-manager = ` + tc.flag + `; } ./a.nix;
  }; }`,
				"a.nix": `{ nixpkgs.hostPlatform = "x86_64-linux"; }`,
			})
			a := hostByName(f, "a")
			if a == nil {
				t.Fatalf("no host a: %s", hostNames(f))
			}
			got := unreadOf(a)
			if tc.want == "" && got != "" || !strings.Contains(got, tc.want) {
				t.Errorf("not read on a:\n%s\nwant %q", got, tc.want)
			}
		})
	}
}
