package nixeval

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestInputKind: an input is known by where it comes from, under any name.
func TestInputKind(t *testing.T) {
	for _, c := range []struct{ name, url, want string }{
		{"unstable", "github:NixOS/nixpkgs/nixos-unstable", "nixpkgs"},
		{"stable", "github:nixos/nixpkgs?ref=nixos-25.05", "nixpkgs"},
		{"nixpkgs-2505", "git+https://github.com/NixOS/nixpkgs?ref=nixos-25.05&shallow=1", "nixpkgs"},
		{"nixos", "nixpkgs/nixos-24.11", "nixpkgs"},
		{"pkgs", "flake:nixpkgs", "nixpkgs"},
		{"old", "https://nixos.org/channels/nixos-24.05/nixexprs.tar.xz", "nixpkgs"},
		{"chan", "https://channels.nixos.org/nixos-unstable/nixexprs.tar.xz", "nixpkgs"},
		{"fh", "https://flakehub.com/f/NixOS/nixpkgs/0.2505.*.tar.gz", "nixpkgs"},
		{"lib", "github:nix-community/nixpkgs.lib", "nixpkgs"},
		{"mac", "github:LnL7/nix-darwin", "nix-darwin"},
		{"darwin", "github:nix-darwin/nix-darwin/nix-darwin-25.05", "nix-darwin"},
		{"hm", "github:nix-community/home-manager/release-25.05", "home-manager"},
		{"fp", "github:hercules-ci/flake-parts", "flake-parts"},
		{"snow", "github:snowfallorg/lib?ref=v3.0.3", "snowfall-lib"},
		{"snowfall-lib", "github:anntnzrb/snowfall-lib", "snowfall-lib"},                        // a fork keeps the name
		{"den", "github:dylanrjohnston/den/dylan.johnston/strict-mode", "den"},                  // a fork keeps the name
		{"snowfall-lib", "https://flakehub.com/f/snowfallorg/lib/3.*.*.tar.gz", "snowfall-lib"}, // FlakeHub
		{"d", "github:vic/den", "den"},
		{"d2", "github:denful/den", "den"},
		{"fup", "github:gytis-ivaskevicius/flake-utils-plus/v1.5.1", "flake-utils-plus"},
		{"u", "github:numtide/flake-utils", "flake-utils"},
		{"tree", "github:vic/import-tree", "import-tree"},
		{"clan", "git+https://git.clan.lol/clan/clan-core?ref=main", "clan-core"},
		{"clan", "https://git.clan.lol/clan/clan-core/archive/main.tar.gz", "clan-core"}, // flake.lock's tarball original
		{"c", "github:clan-lol/clan-core", "clan-core"},
		{"c", "git+https://git.clan.lol/lopter/clan-core", "clan-core"}, // a fork keeps the name
		{"x", "github:someone/flake-parts", "flake-parts"},
		{"nu", "github:srid/nixos-unified", "nixos-unified"},
		{"nu", "github:srid/nixos-flake", "nixos-unified"}, // its name until October 2024
		{"nixos-flake", "", "nixos-unified"},
		{"x", "github:someone/nixos-flake", ""}, // a fleet's own repository, often so named
		{"x", "github:nix-community/nixpkgs-wayland", ""},
		{"x", "path:./nixpkgs-local", ""},
		{"parts", "", "flake-parts"},
		{"unstable", "", ""},
	} {
		if got := inputKind(c.name, c.url); got != c.want {
			t.Errorf("%s (%s): %q, want %q", c.name, c.url, got, c.want)
		}
	}
}

// TestStoreInputByOrigin: an input named `unstable` whose flake.lock says
// it is github:NixOS/nixpkgs keeps the reader's nixpkgs even though its
// source is in the store (a real nixpkgs flake.nix stands on the whole
// package set). Without that original, the same store source is read.
func TestStoreInputByOrigin(t *testing.T) {
	if _, err := exec.LookPath("nix"); err != nil {
		t.Fatal("nix not found (scripts/test.sh installs nix-bin)")
	}
	tmp := t.TempDir()
	writeFiles(t, tmp, map[string]string{
		// Not nixpkgs: its nixosSystem is no system the reader can follow.
		"np/flake.nix": `{ outputs = _: { lib.nixosSystem = args: { not = "a system"; }; }; }`,
		"fleet/flake.nix": `{
  inputs.unstable.url = "path:` + filepath.Join(tmp, "np") + `";
  outputs = { self, unstable }: {
    nixosConfigurations.desk = unstable.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [ { networking.hostName = "desk"; } ];
    };
  };
}`,
	})
	fleet := filepath.Join(tmp, "fleet")
	nixFlakeLock(t, fleet)
	read := func() string {
		f, err := NewReader(fleet).Read(fleet, nil)
		if err != nil {
			return err.Error()
		}
		h := f.Hosts[0]
		if h.NotRead != nil {
			return "not read: " + h.NotRead.Why
		}
		return h.HostName.V
	}
	if got := read(); !strings.HasPrefix(got, "not read") {
		t.Errorf("a path: input from the store must be read from its source: %s", got)
	}
	// The same source, locked as github:NixOS/nixpkgs (as a real
	// `inputs.unstable.url = "github:NixOS/nixpkgs/nixos-unstable"`).
	lockPath := filepath.Join(fleet, "flake.lock")
	data, err := os.ReadFile(lockPath)
	if err != nil {
		t.Fatal(err)
	}
	var lock map[string]any
	if err := json.Unmarshal(data, &lock); err != nil {
		t.Fatal(err)
	}
	node := lock["nodes"].(map[string]any)["unstable"].(map[string]any)
	node["original"] = map[string]any{"type": "github", "owner": "NixOS", "repo": "nixpkgs", "ref": "nixos-unstable"}
	data, _ = json.Marshal(lock)
	if err := os.WriteFile(lockPath, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if got := read(); got != "desk" {
		t.Errorf("nixpkgs by its original: %s", got)
	}
}

// TestRealLibFromStore: with nixpkgs' source in the store (here the
// vendored nixpkgs-lib, locked by the real nix), the fleet's nixpkgs.lib
// is the real lib: lib.evalModules, lib.fix, makeExtensible and functions
// the reader has no model of (zipListsWith) give known values, and
// nixosSystem is still the reader's; lib.trivial.versionSuffix is read from the
// source's own .version-suffix (outside lib/: the whole source is
// readable). Without the store, they are unknown.
func TestRealLibFromStore(t *testing.T) {
	if _, err := exec.LookPath("nix"); err != nil {
		t.Fatal("nix not found (scripts/test.sh installs nix-bin)")
	}
	vendor, _ := filepath.Abs("../../shared/vendor/nixpkgs-lib")
	if _, err := os.Stat(vendor); err != nil {
		t.Skip("needs the real nixpkgs lib in ../shared/vendor, absent here")
	}
	tmp := t.TempDir()
	if out, err := exec.Command("cp", "-r", vendor, filepath.Join(tmp, "np")).CombinedOutput(); err != nil {
		t.Fatalf("%v %s", err, out)
	}
	writeFiles(t, tmp, map[string]string{
		"np/.version-suffix": "pre-test\n",
		"fleet/flake.nix": `{
  inputs.nixpkgs.url = "path:` + filepath.Join(tmp, "np") + `";
  outputs = { self, nixpkgs }:
    let
      lib = nixpkgs.lib.extend (final: prev: { own = "o"; });
      inv = lib.evalModules {
        modules = [
          { options.name = lib.mkOption { type = lib.types.str; default = "d"; }; }
          { name = lib.mkForce "inv"; }
        ];
      };
      f = lib.fix (s: { a = 1; b = s.a + 1; });
      m = { x = builtins.head (lib.zipListsWith (a: b: a + b) [ "m" ] [ "" ]); };
    in {
      nixosConfigurations.desk = lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ { networking.hostName = "${inv.config.name}-${toString f.b}-${m.x}-${lib.own}-${lib.trivial.versionSuffix}"; } ];
      };
    };
}`,
	})
	fleet := filepath.Join(tmp, "fleet")
	nixFlakeLock(t, fleet)
	if err := os.RemoveAll(filepath.Join(tmp, "np")); err != nil {
		t.Fatal(err)
	}
	read := func() (string, bool) {
		f, err := NewReader(fleet).Read(fleet, nil)
		if err != nil {
			t.Fatal(err)
		}
		return f.Hosts[0].HostName.V, f.Hosts[0].HostName.Unknown
	}
	if v, unknown := read(); v != "inv-2-m-o-pre-test" || unknown {
		t.Errorf("with the real lib: %q unknown=%v", v, unknown)
	}
	t.Setenv("NIX_STORE_DIR", filepath.Join(tmp, "empty-store"))
	if _, unknown := read(); !unknown {
		t.Error("without the store, zipListsWith (no model of it) must leave the name unknown")
	}
}
