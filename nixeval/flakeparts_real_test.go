package nixeval

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nixbuild-lint/nixbuild-lint/internal/standin"
	"github.com/nixbuild-lint/nixbuild-lint/model"
)

// lockFlakePartsFleet copies the fixture flake-parts-fleet to a temporary
// directory with its inputs (nixpkgs, flake-parts and flake-parts' own
// nixpkgs-lib) pointing at copies of the vendored nixpkgs-lib and
// flake-parts, locks it with the real nix (which copies the inputs into
// the store) and deletes the copies: what the reader reads of them is the
// store's.
func lockFlakePartsFleet(t *testing.T, edit func(dir string)) string {
	t.Helper()
	if _, err := exec.LookPath("nix"); err != nil {
		t.Fatal("nix not found (scripts/test.sh installs nix-bin)")
	}
	tmp := standin.Vendored(t, "..", "flake-parts", "nixpkgs-lib")
	if edit != nil {
		edit(tmp)
	}
	fleet := filepath.Join(tmp, "fleet")
	if out, err := exec.Command("cp", "-r", "../testdata/configs/flake-parts-fleet", fleet).CombinedOutput(); err != nil {
		t.Fatalf("%v %s", err, out)
	}
	data, err := os.ReadFile(filepath.Join(fleet, "flake.nix"))
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(data), `nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";`, `nixpkgs.url = "path:`+tmp+`/nixpkgs-lib";`, 1)
	text = strings.Replace(text, `flake-parts.url = "github:hercules-ci/flake-parts";`, `flake-parts.url = "path:`+tmp+`/flake-parts";
    flake-parts.inputs.nixpkgs-lib.follows = "nixpkgs";`, 1)
	if text == string(data) {
		t.Fatal("the fixture's inputs changed: update this test")
	}
	lockedText = text
	if err := os.WriteFile(filepath.Join(fleet, "flake.nix"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	nixFlakeLock(t, fleet)
	// Back to the fixture's own flake.nix (its github urls): a flake whose
	// inputs were fetched into the store from GitHub, found there by the
	// lock's narHash.
	if err := os.WriteFile(filepath.Join(fleet, "flake.nix"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"flake-parts", "nixpkgs-lib"} {
		if err := os.RemoveAll(filepath.Join(tmp, d)); err != nil {
			t.Fatal(err)
		}
	}
	return fleet
}

// readBothWays reads fleet from flake-parts' real source and with the
// model alone; it fails the test unless both give the same hosts (every
// value, with its file:line) and the same files.
func readBothWays(t *testing.T, fleet string) (real, model *model.Fleet) {
	t.Helper()
	real, err := NewReader(fleet).Read(fleet, nil)
	if err != nil {
		t.Fatal(err)
	}
	flakePartsModelOnly = true
	defer func() { flakePartsModelOnly = false }()
	model, err = NewReader(fleet).Read(fleet, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(model.Hosts) != 2 || model.Hosts[0].Name != "pi" || model.Hosts[1].Name != "ritchie" {
		t.Fatalf("model: %d hosts, want pi and ritchie", len(model.Hosts))
	}
	for name, m := range map[string]any{"hosts": [2]any{real.Hosts, model.Hosts}, "files": [2]any{real.Files, model.Files}} {
		pair := m.([2]any)
		a, _ := json.MarshalIndent(pair[0], "", " ")
		b, _ := json.MarshalIndent(pair[1], "", " ")
		if string(a) != string(b) {
			t.Errorf("%s differ:\nreal source:\n%s\nmodel:\n%s", name, a, b)
		}
	}
	for dir, n := range model.StoreInputs {
		if n == "flake-parts" {
			t.Errorf("with the model only, flake-parts was read from the store (%s)", dir)
		}
	}
	return real, model
}

// readFromStore reports whether the fleet read flake-parts' source in the
// store.
func readFromStore(f *model.Fleet) bool {
	for _, n := range f.StoreInputs {
		if n == "flake-parts" {
			return true
		}
	}
	return false
}

// lockedText is the flake.nix lockFlakePartsFleet locked (path: inputs).
var lockedText string

// nixEvalFleet evaluates expr (with f the fleet's flake) in the real nix,
// on the flake.nix that was locked, then puts the fixture's back.
func nixEvalFleet(t *testing.T, fleet, expr string) string {
	t.Helper()
	p := filepath.Join(fleet, "flake.nix")
	orig, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(lockedText), 0o644); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = os.WriteFile(p, orig, 0o644) }()
	cmd := exec.Command("nix", "--extra-experimental-features", "nix-command flakes", "eval", "--impure", "--json", "--expr",
		`let f = builtins.getFlake "path:`+fleet+`"; in `+expr)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("nix eval: %v", err)
	}
	return strings.TrimSpace(string(out))
}

// TestFlakePartsRealSource: the fixture flake-parts-fleet, locked against
// the vendored flake-parts and nixpkgs-lib (copied into the store by the
// real nix), is read by flake-parts' own mkFlake on nixpkgs' real lib and
// gives exactly the model the reader's flake-parts model gives: the same
// hosts, values and file:line positions, with no note of a fallback. (On
// the commit before `?` was lazy it stopped: "self.lib (the flake's
// outputs: condition unknown: infinite recursion)".)
func TestFlakePartsRealSource(t *testing.T) {
	fleet := lockFlakePartsFleet(t, nil)
	real, _ := readBothWays(t, fleet)
	if !readFromStore(real) {
		t.Errorf("flake-parts not read from the store: %v", real.StoreInputs)
	}
	if len(real.Notes) != 0 {
		t.Errorf("notes %q, want none", real.Notes)
	}
	pi := real.Hosts[0]
	if pi.System.V != "aarch64-linux" || pi.System.At.String() != "parts/inventory.nix:18:17" || !pi.Distribute.V || pi.Distribute.At.String() != "hosts/pi/configuration.nix:4:3" {
		t.Errorf("pi: system %+v, distributedBuilds %+v", pi.System, pi.Distribute)
	}
	if got := strings.Join(pi.Files, " "); got != "hosts/pi/configuration.nix parts/hosts.nix parts/ssh.nix parts/builders.nix" {
		t.Errorf("pi's files: %s", got)
	}
	// A list both halves of the shared module define comes in the order
	// Nix gives (ssh.nix, imported first, then builders.nix, as Nix 2.8
	// orders the definitions on the real flake-parts): the real source
	// showed the model had it the other way round.
	if got := nixEvalFleet(t, fleet, `map (m: baseNameOf m._file) (builtins.head f.nixosModules.common.imports).imports`); got != `["ssh.nix, via option flake.nixosModules.common","builders.nix, via option flake.nixosModules.common"]` {
		t.Errorf("nix: the definitions of flake.nixosModules.common: %s", got)
	}
	if err := os.WriteFile(filepath.Join(fleet, "parts/ssh.nix"), []byte("{\n  flake.nixosModules.common = {\n    services.openssh.enable = true;\n    nix.settings.trusted-users = [ \"ops\" ];\n  };\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	real, _ = readBothWays(t, fleet)
	var items []string
	for _, at := range real.Hosts[0].Trusted.Items {
		items = append(items, at.String())
	}
	if got := strings.Join(real.Hosts[0].Trusted.V, " ") + " at " + strings.Join(items, " "); got != "root ops root at <default> parts/ssh.nix:4:36 parts/builders.nix:3:36" {
		t.Errorf("pi's trusted-users: %s", got)
	}
}

// TestFlakePartsRealSourceFallback: where flake-parts' real source stops
// the reader, the model reads the flake, and a note says so and why. The
// stop here is a flake-parts whose nixosConfigurations option's type rests
// on builtins.getEnv (pure Nix reads "" there; the static reader does not
// know the environment).
func TestFlakePartsRealSourceFallback(t *testing.T) {
	fleet := lockFlakePartsFleet(t, func(dir string) {
		p := filepath.Join(dir, "flake-parts", "modules", "nixosConfigurations.nix")
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		text := strings.Replace(string(data), "type = types.lazyAttrsOf types.raw;", `type = if builtins.getEnv "NBL_TYPE" == "" then types.lazyAttrsOf types.raw else types.raw;`, 1)
		if text == string(data) {
			t.Fatal("flake-parts' modules/nixosConfigurations.nix changed: update this test")
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	})
	real, _ := readBothWays(t, fleet)
	want := []string{"flake-parts read by the reader's model, not its source in the store: the real mkFlake stopped on nixosConfigurations: " +
		`condition unknown: condition unknown: condition unknown: condition unknown: builtins.getEnv "NBL_TYPE" (the environment of the evaluation; --impure reads it): _type`}
	if strings.Join(real.Notes, "\n") != strings.Join(want, "\n") {
		t.Errorf("notes\n%q\nwant\n%q", real.Notes, want)
	}
}

// TestFlakePartsRealSourceOpaqueModule: a flake module of an input whose
// source is not here (inputs.other.flakeModule) makes the real path
// useless: nixpkgs' real module system cannot take a module whose names
// cannot be listed, so the whole of mkFlake stops, and the model reads the
// flake (that module left unread, as without the source). The note names
// the module.
func TestFlakePartsRealSourceOpaqueModule(t *testing.T) {
	fleet := lockFlakePartsFleet(t, nil)
	p := filepath.Join(fleet, "flake.nix")
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(data), `flake-parts.url = "github:hercules-ci/flake-parts";`, `flake-parts.url = "github:hercules-ci/flake-parts";
    other.url = "github:someone/other";`, 1)
	text = strings.Replace(text, "imports = [", "imports = [\n        inputs.other.flakeModule", 1)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	real, _ := readBothWays(t, fleet)
	want := "flake-parts read by the reader's model, not its source in the store: the real mkFlake stopped on its outputs: " +
		"condition unknown: genList length; flake modules not read: flake.nix:14:9: module of flake input other flakeModule"
	if strings.Join(real.Notes, "\n") != want {
		t.Errorf("notes\n%q\nwant\n%q", real.Notes, want)
	}
}
