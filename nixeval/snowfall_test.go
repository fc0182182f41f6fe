package nixeval

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nixbuild-lint/nixbuild-lint/internal/standin"
)

// TestSnowfallFromStore: snowfall-lib's real source (with
// flake-utils-plus, flake-utils and nixpkgs' real lib, the vendored
// copies locked into the store by the real nix and then deleted) is read
// by the static evaluator: mkFlake's systems/<system>/<host> tree gives
// each host, NixOS or nix-darwin by the system's name, with the fleet's
// modules/nixos (or modules/darwin) modules. No model of snowfall-lib is
// involved. The NixOS hosts' values are read: flake-utils-plus' module
// tests `options ? networking.hostName` (and four more) before it sets
// them, which the reader answers for the options NixOS is known to
// declare (before, every value of every host was unknown). Not yet: the
// nix-darwin host, where flake-utils-plus asks for networking.domain,
// which the reader cannot say nix-darwin lacks.
func TestSnowfallFromStore(t *testing.T) {
	if _, err := exec.LookPath("nix"); err != nil {
		t.Fatal("nix not found (scripts/test.sh installs nix-bin)")
	}
	tmp := standin.Vendored(t, "..", "snowfall-lib", "flake-utils-plus", "flake-utils", "nix-systems", "nixpkgs-lib")
	p := func(d string) string { return "path:" + filepath.Join(tmp, d) }
	module := `{ lib, config, namespace, ... }:
{
  options.${namespace}.builders.enable = lib.mkEnableOption "remote builders";
  config = lib.mkIf config.${namespace}.builders.enable {
    nix.distributedBuilds = true;
    nix.buildMachines = [ { hostName = "forge"; systems = [ "x86_64-linux" ]; } ];
  };
}
`
	writeFiles(t, tmp, map[string]string{
		"compat/default.nix": "{ }\n",
		"fleet/flake.nix": `{
  inputs = {
    nixpkgs.url = "` + p("nixpkgs-lib") + `";
    darwin.url = "` + p("nixpkgs-lib") + `";
    snowfall-lib = {
      url = "` + p("snowfall-lib") + `";
      inputs.nixpkgs.follows = "nixpkgs";
      inputs.flake-compat.url = "` + p("compat") + `";
      inputs.flake-utils-plus.url = "` + p("flake-utils-plus") + `";
      inputs.flake-utils-plus.inputs.flake-utils.url = "` + p("flake-utils") + `";
      inputs.flake-utils-plus.inputs.flake-utils.inputs.systems.url = "` + p("nix-systems") + `";
    };
  };
  outputs = inputs:
    inputs.snowfall-lib.mkFlake {
      inherit inputs;
      src = ./.;
      snowfall.namespace = "fleet";
    };
}
`,
		"fleet/systems/x86_64-linux/forge/default.nix": "{ ... }: { services.openssh.enable = true; }\n",
		"fleet/systems/x86_64-linux/desk/default.nix":  "{ ... }: { fleet.builders.enable = true; }\n",
		"fleet/systems/aarch64-darwin/mbp/default.nix": "{ ... }: { fleet.builders.enable = true; }\n",
		"fleet/modules/nixos/builders/default.nix":     module,
		"fleet/modules/darwin/builders/default.nix":    module,
	})
	fleet := filepath.Join(tmp, "fleet")
	nixFlakeLock(t, fleet)
	for _, d := range []string{"snowfall-lib", "flake-utils-plus", "flake-utils", "nix-systems", "nixpkgs-lib"} {
		if err := os.RemoveAll(filepath.Join(tmp, d)); err != nil {
			t.Fatal(err)
		}
	}
	f, err := NewReader(fleet).Read(fleet, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][2]string{
		"desk":  {"nixos", "modules/nixos/builders/default.nix"},
		"forge": {"nixos", "modules/nixos/builders/default.nix"},
		"mbp":   {"darwin", "modules/darwin/builders/default.nix"},
	}
	if len(f.Hosts) != len(want) {
		t.Fatalf("%d hosts, want 3", len(f.Hosts))
	}
	for _, h := range f.Hosts {
		w, ok := want[h.Name]
		switch {
		case !ok:
			t.Errorf("host %s", h.Name)
		case h.NotRead != nil:
			t.Errorf("%s not read: %s", h.Name, h.NotRead.Why)
		case h.Kind != w[0]:
			t.Errorf("%s: kind %s, want %s", h.Name, h.Kind, w[0])
		}
		t.Logf("%s: %s files %q unread %q dist %+v machines %d", h.Name, h.System.V, h.Files, h.Unread, h.Distribute, len(h.Machines.Entries))
	}
	if h := f.Hosts[0]; h.Name != "desk" || !h.Distribute.V || h.Distribute.Unknown || len(h.Machines.Entries) != 1 {
		t.Errorf("desk's distributedBuilds %+v and %d build machines, want true and 1", h.Distribute, len(h.Machines.Entries))
	}
	if h := f.Hosts[1]; h.Name != "forge" || h.System.V != "x86_64-linux" {
		t.Errorf("forge's system: %+v", h.System)
	}
}

// TestSnowfallModelParity: the fixture fleet snowfall-fleet read with the
// reader's model of snowfall-lib (no source: a fresh checkout) and read
// from the real snowfall-lib (with flake-utils-plus, flake-utils and
// nixpkgs' real lib, locked by the real nix into the store and the copies
// then deleted) gives the same hosts with the same values. Left out of
// the comparison: positions and file lists (the real source reaches the
// fleet's modules/nixos files through its own wrapper in the store, and
// says a host is defined there), the domain (flake-utils-plus sets it
// with the lib of its imported channel, which the stand-in pkgs lack) and
// the users: snowfall-lib's own modules/nixos/user module, on the real
// lib, renames snowfallorg.user with lib.mkRenamedOptionModule, whose
// options.<from> the reader cannot read, so users.users is unknown there
// (TestEvalParity compares the users with the real Nix on the real
// snowfall-lib instead).
func TestSnowfallModelParity(t *testing.T) {
	if _, err := exec.LookPath("nix"); err != nil {
		t.Fatal("nix not found (scripts/test.sh installs nix-bin)")
	}
	fixture, _ := filepath.Abs("../testdata/configs/snowfall-fleet")
	deps := []string{"snowfall-lib", "flake-utils-plus", "flake-utils", "nix-systems", "nixpkgs-lib"}
	tmp := standin.Vendored(t, "..", deps...)
	fleet := filepath.Join(tmp, "fleet")
	if out, err := exec.Command("cp", "-r", fixture, fleet).CombinedOutput(); err != nil {
		t.Fatalf("%v %s", err, out)
	}
	p := func(d string) string { return "path:" + filepath.Join(tmp, d) }
	flake, err := os.ReadFile(filepath.Join(fleet, "flake.nix"))
	if err != nil {
		t.Fatal(err)
	}
	src := strings.NewReplacer(
		`nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.05";`, `nixpkgs.url = "`+p("nixpkgs-lib")+`";`,
		`url = "github:snowfallorg/lib";`, `url = "`+p("snowfall-lib")+`"; inputs.flake-compat.url = "`+p("compat")+`"; inputs.flake-utils-plus.url = "`+p("flake-utils-plus")+`"; inputs.flake-utils-plus.inputs.flake-utils.url = "`+p("flake-utils")+`"; inputs.flake-utils-plus.inputs.flake-utils.inputs.systems.url = "`+p("nix-systems")+`";`,
	).Replace(string(flake))
	if src == string(flake) {
		t.Fatal("the fixture's inputs are not where this test rewrites them")
	}
	writeFiles(t, tmp, map[string]string{"compat/default.nix": "{ }\n", "fleet/flake.nix": src})
	nixFlakeLock(t, fleet)
	for _, d := range deps {
		if err := os.RemoveAll(filepath.Join(tmp, d)); err != nil {
			t.Fatal(err)
		}
	}
	read := func(dir string) (string, []string) {
		f, err := NewReader(dir).Read(dir, nil)
		if err != nil {
			t.Fatal(err)
		}
		var hosts []any
		var store []string
		for _, h := range f.Hosts {
			if h.NotRead != nil {
				t.Errorf("%s: %s not read: %s", dir, h.Name, h.NotRead.Why)
			}
			data, _ := json.Marshal(h)
			var v map[string]any
			_ = json.Unmarshal(data, &v)
			for _, k := range []string{"defined", "mainFile", "files", "domain", "unreadModules", "inputModules", "users", "usersUnknown"} {
				delete(v, k)
			}
			if defs, ok := v["defs"].(map[string]any); ok {
				for k := range defs {
					if strings.HasPrefix(k, "users.") {
						delete(defs, k)
					}
				}
			}
			hosts = append(hosts, stripPositions(v))
			store = append(store, fmt.Sprint(len(h.Unread)))
		}
		out, _ := json.MarshalIndent(hosts, "", " ")
		return string(out), store
	}
	model, _ := read(fixture)
	real, _ := read(fleet)
	if model != real {
		t.Errorf("the model and the real snowfall-lib differ:\n--- model\n%s\n--- real\n%s", model, real)
	}
	// Not a comparison of two empty readings: the values are there.
	for _, want := range []string{`"name": "forge"`, `"name": "pi"`, `"value": "forge.lan"`, `"nixremote"`, `"aarch64-linux"`} {
		if !strings.Contains(model, want) {
			t.Errorf("model lacks %s", want)
		}
	}
}

// stripPositions drops every position (loc, items, fields) from a host's
// JSON.
func stripPositions(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for _, k := range []string{"loc", "items", "fields", "index"} {
			delete(x, k)
		}
		for k, e := range x {
			x[k] = stripPositions(e)
		}
	case []any:
		for i, e := range x {
			x[i] = stripPositions(e)
		}
	}
	return v
}

// TestLinuxBuilderSubstitutes: nix-darwin's nix.linux-builder sets
// builders-use-substitutes = true along with its build machine (found on
// bjeanes/dotfiles, a snowfall-lib fleet whose two Macs use it: before,
// no-substitutes-on-builder said they upload what the VM could fetch).
func TestLinuxBuilderSubstitutes(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"flake.nix": `{
  inputs.darwin.url = "github:nix-darwin/nix-darwin";
  outputs = { self, darwin }: {
    darwinConfigurations.mbp = darwin.lib.darwinSystem {
      system = "aarch64-darwin";
      modules = [ { nix.linux-builder.enable = true; } ];
    };
    darwinConfigurations.off = darwin.lib.darwinSystem {
      system = "aarch64-darwin";
      modules = [ { nix.linux-builder.enable = false; nix.distributedBuilds = true; } ];
    };
  };
}
`,
	})
	f, err := NewReader(dir).Read(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"mbp": true, "off": false}
	for _, h := range f.Hosts {
		if h.UseSubst.V != want[h.Name] || h.UseSubst.Unknown {
			t.Errorf("%s: buildersUseSubstitutes %+v, want %v", h.Name, h.UseSubst, want[h.Name])
		}
	}
	if len(f.Hosts) != 2 {
		t.Errorf("%d hosts", len(f.Hosts))
	}
}

// TestSnowfallModel: the direct inputs.snowfall-lib.mkFlake form, without
// snowfall-lib's source. An image target (x86_64-iso) is not a host; a
// darwin target without inputs.darwin is a host not read, saying why; the
// namespace defaults to "internal"; systems.hosts.<name>.specialArgs reach
// the host; lib.snowfall.fs.get-non-default-nix-files lists a directory;
// home-manager's module, which snowfall-lib adds, is shown at the mkFlake
// call.
func TestSnowfallModel(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"flake.nix": `{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.05";
  inputs.snowfall-lib.url = "github:snowfallorg/lib";
  inputs.home-manager.url = "github:nix-community/home-manager";
  outputs = inputs:
    inputs.snowfall-lib.mkFlake {
      inherit inputs;
      src = ./.;
      systems.hosts.box.specialArgs.builder = "forge";
    };
}
`,
		"systems/x86_64-linux/box/default.nix": `{ lib, namespace, builder, ... }: {
  imports = lib.snowfall.fs.get-non-default-nix-files ./parts;
  nix.settings.trusted-users = [ namespace builder ];
}
`,
		"systems/x86_64-linux/box/parts/a.nix":       "{ nix.distributedBuilds = true; }\n",
		"systems/x86_64-linux/box/parts/default.nix": "throw \"not a module of box\"\n",
		"systems/x86_64-iso/installer/default.nix":   "{ }\n",
		"systems/aarch64-darwin/mac/default.nix":     "{ }\n",
		"lib/default.nix":                            "{ }\n",
	})
	f, err := NewReader(dir).Read(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, h := range f.Hosts {
		switch {
		case h.NotRead != nil:
			got[h.Name] = h.Kind + " not read: " + h.NotRead.Why
		default:
			got[h.Name] = fmt.Sprintf("%s %s dist=%v trusted=%v unread=%q", h.Kind, h.System.V, h.Distribute.V, h.Trusted.V, h.Unread)
		}
	}
	want := map[string]string{
		"box": `nixos x86_64-linux dist=true trusted=[root internal forge] unread=["flake.nix:6:33: module of flake input home-manager home-manager"]`,
		"mac": "darwin not read: snowfall-lib builds darwin hosts with inputs.darwin, which this flake does not have",
	}
	for name, w := range want {
		if got[name] != w {
			t.Errorf("%s:\n got %s\nwant %s", name, got[name], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("hosts %v, want box and mac (the iso is an image)", got)
	}
}

// TestSnowfallStoreWithoutFlakeUtilsPlus: snowfall-lib in the store
// without its flake-utils-plus (the lock names one that is not there) is
// read by the model, with a note saying why, and gives the hosts an empty
// store gives; before, the real snowfall-lib stopped on flake-utils-plus'
// absent mkFlake and the flake had no hosts at all (exit 2; Svenum/holynix
// in the tune corpus: 0 of 9 hosts with its inputs in the store).
func TestSnowfallStoreWithoutFlakeUtilsPlus(t *testing.T) {
	if _, err := exec.LookPath("nix"); err != nil {
		t.Fatal("nix not found (scripts/test.sh installs nix-bin)")
	}
	deps := []string{"snowfall-lib", "flake-utils-plus", "flake-utils", "nix-systems", "nixpkgs-lib"}
	tmp := standin.Vendored(t, "..", deps...)
	p := func(d string) string { return "path:" + filepath.Join(tmp, d) }
	writeFiles(t, tmp, map[string]string{
		"compat/default.nix": "{ }\n",
		"fleet/flake.nix": `{
  inputs = {
    nixpkgs.url = "` + p("nixpkgs-lib") + `";
    snowfall-lib = {
      url = "` + p("snowfall-lib") + `";
      inputs.nixpkgs.follows = "nixpkgs";
      inputs.flake-compat.url = "` + p("compat") + `";
      inputs.flake-utils-plus.url = "` + p("flake-utils-plus") + `";
      inputs.flake-utils-plus.inputs.flake-utils.url = "` + p("flake-utils") + `";
      inputs.flake-utils-plus.inputs.flake-utils.inputs.systems.url = "` + p("nix-systems") + `";
    };
  };
  outputs = inputs:
    inputs.snowfall-lib.mkFlake {
      inherit inputs;
      src = ./.;
      snowfall.namespace = "fleet";
    };
}
`,
		"fleet/systems/x86_64-linux/forge/default.nix": "{ ... }: { services.openssh.enable = true; }\n",
		"fleet/systems/aarch64-linux/pi/default.nix":   "{ ... }: { nix.distributedBuilds = true; }\n",
	})
	fleet := filepath.Join(tmp, "fleet")
	nixFlakeLock(t, fleet)
	for _, d := range deps {
		if err := os.RemoveAll(filepath.Join(tmp, d)); err != nil {
			t.Fatal(err)
		}
	}
	// The flake as written with GitHub urls (a fork of snowfall-lib, as
	// Svenum/holynix's), its inputs found in the store by the lock.
	writeFiles(t, tmp, map[string]string{"fleet/flake.nix": `{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.05";
    snowfall-lib.url = "github:someone/snowfall-lib";
    snowfall-lib.inputs.nixpkgs.follows = "nixpkgs";
  };
  outputs = inputs:
    inputs.snowfall-lib.mkFlake {
      inherit inputs;
      src = ./.;
      snowfall.namespace = "fleet";
    };
}
`})
	l := ReadLock(fleet)
	sf, _ := l.Input(l.Root, "snowfall-lib")
	fup, ok := l.Input(sf, "flake-utils-plus")
	if !ok || l.source(sf) == "" || l.source(fup) == "" {
		t.Fatal("snowfall-lib and flake-utils-plus must be in the store")
	}
	lockPath := filepath.Join(fleet, "flake.lock")
	data, err := os.ReadFile(lockPath)
	if err != nil {
		t.Fatal(err)
	}
	data = []byte(strings.Replace(string(data), l.Nodes[fup].Locked.NarHash, "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", 1))
	if err := os.WriteFile(lockPath, data, 0o644); err != nil {
		t.Fatal(err)
	}
	read := func() (string, []string) {
		f, err := NewReader(fleet).Read(fleet, nil)
		if err != nil {
			t.Fatal(err)
		}
		hosts, _ := json.MarshalIndent(f.Hosts, "", " ")
		return string(hosts), f.Notes
	}
	got, notes := read()
	want := []string{"snowfall-lib (input snowfall-lib) read by the reader's model, not its source in the store: its input flake-utils-plus, on whose mkFlake snowfall-lib's is built, is not in the store"}
	if strings.Join(notes, "\n") != strings.Join(want, "\n") {
		t.Errorf("notes %q, want %q", notes, want)
	}
	t.Setenv("NIX_STORE_DIR", filepath.Join(tmp, "empty-store"))
	empty, _ := read()
	if got != empty {
		t.Errorf("hosts differ from an empty store's:\n--- store\n%s\n--- empty\n%s", got, empty)
	}
	for _, w := range []string{`"name": "forge"`, `"name": "pi"`, `"value": "aarch64-linux"`} {
		if !strings.Contains(got, w) {
			t.Errorf("hosts lack %s:\n%s", w, got)
		}
	}
}
