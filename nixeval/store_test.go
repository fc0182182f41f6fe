package nixeval

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/nixbuild-lint/nixbuild-lint/nixeval/lang"
)

// TestSourceStorePath: the path Nix gave a locked path: input (seen with
// `nix flake archive --json` on Nix 2.8) follows from its narHash alone.
func TestSourceStorePath(t *testing.T) {
	t.Setenv("NIX_STORE_DIR", "")
	got, err := SourceStorePath("sha256-gBX6dAXow9eVj8X8pih/YHQKBnh3mVW5lY+rXnW7O28=")
	if err != nil || got != "/nix/store/qzq1i5kscaxja6llqvhmwcgmj8ykrzcy-source" {
		t.Errorf("got %q, %v", got, err)
	}
	if _, err := SourceStorePath("md5-AAAAAAAAAAAAAAAAAAAAAA=="); err == nil {
		t.Error("an md5 narHash must be refused")
	}
}

// TestStoreInput: real Nix locks a path: input (copying it to the store);
// the original is deleted; the reader still reads the input's module from
// the store, at the path flake.lock gives, and nothing points into it.
func TestStoreInput(t *testing.T) {
	if _, err := exec.LookPath("nix"); err != nil {
		t.Fatal("nix not found (scripts/test.sh installs nix-bin)")
	}
	tmp := t.TempDir()
	helper := filepath.Join(tmp, "helper")
	files := map[string]string{
		"np/flake.nix":       `{ outputs = _: { }; }`,
		"helper/flake.nix":   `{ outputs = { self }: { nixosModules.builder = import ./builder.nix; lib.arch = "riscv64-linux"; }; }`,
		"helper/builder.nix": `{ config, ... }: { imports = [ ./ssh.nix ]; boot.binfmt.emulatedSystems = [ "aarch64-linux" ]; }`,
		"helper/ssh.nix":     `{ services.openssh.enable = true; }`,
		"fleet/flake.nix": `{
  inputs.nixpkgs.url = "path:` + filepath.Join(tmp, "np") + `";
  inputs.helper.url = "path:` + helper + `";
  outputs = { self, nixpkgs, helper }: {
    nixosConfigurations.ritchie = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [ helper.nixosModules.builder { nix.settings.extra-platforms = [ helper.lib.arch ]; } ];
    };
  };
}`,
	}
	writeFiles(t, tmp, files)
	fleet := filepath.Join(tmp, "fleet")
	nixFlakeLock(t, fleet)
	if err := os.RemoveAll(helper); err != nil {
		t.Fatal(err)
	}
	read := func() (string, []string, []string) {
		f, err := NewReader(fleet).Read(fleet, nil)
		if err != nil {
			t.Fatal(err)
		}
		h := f.Hosts[0]
		return strings.Join(h.Emulated.V, " ") + "|" + strings.Join(h.ExtraPlat.V, " ") + "|" + fmt.Sprint(h.SSHD.Enable.V), h.Unread, h.Files
	}
	got, unread, files2 := read()
	if got != "aarch64-linux|aarch64-linux i686-linux riscv64-linux|true" || len(unread) != 0 {
		t.Errorf("from the store: %s, unread %q", got, unread)
	}
	for _, f := range files2 {
		if strings.Contains(f, "store") {
			t.Errorf("a store file among the host's files: %q", files2)
		}
	}
	// Elsewhere (another store) the input is not there: a stand-in again.
	t.Setenv("NIX_STORE_DIR", filepath.Join(tmp, "empty-store"))
	got, unread, _ = read()
	if !strings.HasPrefix(got, "|") || len(unread) != 1 || !strings.Contains(unread[0], "module of flake input helper builder") {
		t.Errorf("without the store: %s, unread %q", got, unread)
	}
}

// TestStoreFlakeUtils: flake-utils locked in the store is read from its
// real source (the vendored copy, locked by the real nix), not the model:
// the outputs eachDefaultSystem makes are known values.
func TestStoreFlakeUtils(t *testing.T) {
	if _, err := exec.LookPath("nix"); err != nil {
		t.Fatal("nix not found (scripts/test.sh installs nix-bin)")
	}
	vendor, _ := filepath.Abs("../../shared/vendor")
	if _, err := os.Stat(filepath.Join(vendor, "flake-utils")); err != nil {
		t.Skip("needs the real flake-utils in ../shared/vendor, absent here")
	}
	tmp := t.TempDir()
	for _, d := range []string{"flake-utils", "nix-systems"} {
		if out, err := exec.Command("cp", "-r", filepath.Join(vendor, d), filepath.Join(tmp, d)).CombinedOutput(); err != nil {
			t.Fatalf("%v %s", err, out)
		}
	}
	writeFiles(t, tmp, map[string]string{
		"np/flake.nix": `{ outputs = _: { }; }`,
		"fleet/flake.nix": `{
  inputs.nixpkgs.url = "path:` + filepath.Join(tmp, "np") + `";
  inputs.flake-utils.url = "path:` + filepath.Join(tmp, "flake-utils") + `";
  inputs.flake-utils.inputs.systems.url = "path:` + filepath.Join(tmp, "nix-systems") + `";
  outputs = { self, nixpkgs, flake-utils }:
    (flake-utils.lib.eachDefaultSystem (system: { packages.name = "hub-" + system; }))
    // { nixosConfigurations.hub = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [ { networking.hostName = self.packages.x86_64-linux.name; } ];
    }; };
}`,
	})
	fleet := filepath.Join(tmp, "fleet")
	nixFlakeLock(t, fleet)
	for _, d := range []string{"flake-utils", "nix-systems"} {
		if err := os.RemoveAll(filepath.Join(tmp, d)); err != nil {
			t.Fatal(err)
		}
	}
	f, err := NewReader(fleet).Read(fleet, nil)
	if err != nil {
		t.Fatal(err)
	}
	if h := f.Hosts[0]; h.HostName.V != "hub-x86_64-linux" || h.HostName.Unknown {
		t.Errorf("hostName %+v: flake-utils was not read from the store", h.HostName)
	}
}

// TestStoreInputFaults: what the reader cannot read in an input's own code
// (a file it cannot parse, a module it makes into something that is not
// a module) leaves that module not read; the fleet's own definitions and
// the run go on (before, either stopped the run with exit 2).
func TestStoreInputFaults(t *testing.T) {
	if _, err := exec.LookPath("nix"); err != nil {
		t.Fatal("nix not found (scripts/test.sh installs nix-bin)")
	}
	tmp := t.TempDir()
	helper := filepath.Join(tmp, "helper")
	writeFiles(t, tmp, map[string]string{
		"np/flake.nix":     `{ outputs = _: { }; }`,
		"helper/flake.nix": `{ outputs = { self }: { nixosModules.broken = ./broken.nix; nixosModules.list = { imports = [ [ ./ok.nix ] ]; }; nixosModules.typed = ./typed.nix; }; }`,
		// Valid Nix the reader does not parse today would do too; a real
		// syntax error stands for it here.
		"helper/broken.nix": `{ config, ... }: { services.x = ; }`,
		"helper/ok.nix":     `{ }`,
		"helper/typed.nix":  `{ lib, ... }: { options.p = lib.mkOption { type = lib.types.attrsOf (lib.types.submodule [ ({ name, ... }: { options.n = lib.mkOption { default = name; }; }) ]); default = { }; }; }`,
		"fleet/flake.nix": `{
  inputs.nixpkgs.url = "path:` + filepath.Join(tmp, "np") + `";
  inputs.helper.url = "path:` + helper + `";
  outputs = { self, nixpkgs, helper }: {
    nixosConfigurations.pi = nixpkgs.lib.nixosSystem {
      system = "aarch64-linux";
      modules = [ helper.nixosModules.broken helper.nixosModules.list helper.nixosModules.typed { nix.distributedBuilds = true; } ];
    };
  };
}`,
	})
	fleet := filepath.Join(tmp, "fleet")
	nixFlakeLock(t, fleet)
	f, err := NewReader(fleet).Read(fleet, nil)
	if err != nil {
		t.Fatalf("an input's fault stopped the run: %v", err)
	}
	h := f.Hosts[0]
	if !h.Distribute.V || h.Distribute.Unknown || len(h.Unread) != 2 {
		t.Errorf("distributedBuilds %+v, unread %q", h.Distribute, h.Unread)
	}
}

// TestLockFollowsCycle: a flake.lock whose follows go round in a circle
// names no node (it once recursed until the stack ran out).
func TestLockFollowsCycle(t *testing.T) {
	dir := t.TempDir()
	lock := `{ "nodes": { "root": { "inputs": { "a": [ "b" ], "b": [ "a" ], "c": "c" } }, "c": { "locked": { "type": "path", "path": "/x" } } }, "root": "root", "version": 7 }`
	if err := os.WriteFile(filepath.Join(dir, "flake.lock"), []byte(lock), 0o644); err != nil {
		t.Fatal(err)
	}
	l := ReadLock(dir)
	if l == nil {
		t.Fatal("flake.lock not read")
	}
	if key, ok := l.Input(l.Root, "a"); ok {
		t.Errorf("a follows b follows a: got node %q", key)
	}
	if key, ok := l.Input(l.Root, "c"); !ok || key != "c" {
		t.Errorf("c: got %q, %v", key, ok)
	}
}

// TestStoreInputOfInputAbsent: an input read from the store whose own
// input is not there (Mic92/dotfiles: adios-flake in the store, its input
// adios not) gives its lib's function an unknown condition. The fleet is
// read as without the input's source — the configurations its argument
// writes — and the reason names the input, the function and the stand-in;
// before, the whole read stopped with exit 2 ("condition unknown:
// stand-in for flake input inner.core").
func TestStoreInputOfInputAbsent(t *testing.T) {
	if _, err := exec.LookPath("nix"); err != nil {
		t.Fatal("nix not found (scripts/test.sh installs nix-bin)")
	}
	tmp := t.TempDir()
	writeFiles(t, tmp, map[string]string{
		"np/flake.nix":    `{ outputs = _: { }; }`,
		"inner/flake.nix": `{ outputs = _: { core = args: args.flake; }; }`,
		"helper/flake.nix": `{
  inputs.inner.url = "path:` + filepath.Join(tmp, "inner") + `";
  outputs = { self, inner }: {
    lib.mkFleet = args: if builtins.isAttrs inner && inner ? core then inner.core args else import ./fleet.nix args;
  };
}`,
		"helper/fleet.nix": `args: args.flake`,
		"fleet/flake.nix": `{
  inputs.nixpkgs.url = "path:` + filepath.Join(tmp, "np") + `";
  inputs.helper.url = "path:` + filepath.Join(tmp, "helper") + `";
  outputs = { self, nixpkgs, helper }: helper.lib.mkFleet {
    inherit self;
    flake.nixosConfigurations.pi = nixpkgs.lib.nixosSystem {
      system = "aarch64-linux";
      modules = [ self.nixosModules.extra { nix.distributedBuilds = true; } ];
    };
  };
}`,
	})
	fleet := filepath.Join(tmp, "fleet")
	nixFlakeLock(t, fleet)
	// inner is not in the store: its lock entry names other content.
	lockPath := filepath.Join(fleet, "flake.lock")
	data, err := os.ReadFile(lockPath)
	if err != nil {
		t.Fatal(err)
	}
	l := ReadLock(fleet)
	key, ok := l.Input("helper", "inner")
	if !ok {
		t.Fatal("no inner in flake.lock")
	}
	data = []byte(strings.Replace(string(data), l.Nodes[key].Locked.NarHash, "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", 1))
	if err := os.WriteFile(lockPath, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if l := ReadLock(fleet); l.source("helper") == "" || l.source(key) != "" {
		t.Fatal("helper must be in the store, inner not")
	}
	f, err := NewReader(fleet).Read(fleet, nil)
	if err != nil {
		t.Fatalf("an input's absent input stopped the read: %v", err)
	}
	if len(f.Hosts) != 1 || f.Hosts[0].Name != "pi" || f.Hosts[0].NotRead != nil {
		t.Fatalf("hosts: %+v", f.Hosts)
	}
	h := f.Hosts[0]
	want := "function lib.mkFleet of flake input helper (read from the store): condition unknown: stand-in for flake input inner.core"
	if !h.Distribute.V || len(h.Unread) != 1 || !strings.Contains(h.Unread[0], want) {
		t.Errorf("distributedBuilds %+v, unread %q; want the one unread module to say %q", h.Distribute, h.Unread, want)
	}
}

// TestStoreInputBudget: when the evaluation budget runs out in an input's
// own code, read from the store, the fleet's note names the input and the
// file with the budget.
func TestStoreInputBudget(t *testing.T) {
	if _, err := exec.LookPath("nix"); err != nil {
		t.Fatal("nix not found (scripts/test.sh installs nix-bin)")
	}
	defer func(old int) { lang.DefaultBudget = old }(lang.DefaultBudget)
	lang.DefaultBudget = 200_000
	tmp := t.TempDir()
	writeFiles(t, tmp, map[string]string{
		"np/flake.nix":     `{ outputs = _: { }; }`,
		"helper/flake.nix": `{ outputs = { self }: { nixosModules.heavy = ./heavy.nix; }; }`,
		"helper/heavy.nix": `{ ... }: { boot.binfmt.emulatedSystems = [ (if builtins.foldl' (a: b: a + b) 0 (builtins.genList (i: i) 100000) > 0 then "aarch64-linux" else "x86_64-linux") ]; }`,
		"fleet/flake.nix": `{
  inputs.nixpkgs.url = "path:` + filepath.Join(tmp, "np") + `";
  inputs.helper.url = "path:` + filepath.Join(tmp, "helper") + `";
  outputs = { self, nixpkgs, helper }: {
    nixosConfigurations.pi = nixpkgs.lib.nixosSystem {
      system = "aarch64-linux";
      modules = [ helper.nixosModules.heavy { nix.distributedBuilds = true; } ];
    };
  };
}`,
	})
	fleet := filepath.Join(tmp, "fleet")
	nixFlakeLock(t, fleet)
	f, err := NewReader(fleet).Read(fleet, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := "evaluation budget exceeded (200000 steps for the whole fleet) in flake input helper (heavy.nix): some values are unknown"
	if !slices.Contains(f.Notes, want) {
		t.Errorf("notes %q, want %q", f.Notes, want)
	}
}

// nixFlakeLock runs the real `nix flake lock` in dir (the test fails when
// it fails).
func nixFlakeLock(t *testing.T, dir string) {
	t.Helper()
	cmd := exec.Command("nix", "--extra-experimental-features", "nix-command flakes", "flake", "lock")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("nix flake lock: %v\n%s", err, out)
	}
}
