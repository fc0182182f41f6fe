package nixeval

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestSnowfallFromStore: snowfall-lib's real source (with
// flake-utils-plus, flake-utils and nixpkgs' real lib, the vendored
// copies locked into the store by the real nix and then deleted) is read
// by the static evaluator: mkFlake's systems/<system>/<host> tree gives
// each host, NixOS or nix-darwin by the system's name, with the fleet's
// modules/nixos (or modules/darwin) modules. No model of snowfall-lib is
// involved. Not yet: the values those modules set stay unknown (the
// mkIf over the module's own option is not decided), and snowfall-lib's
// modules/nixos/user module stops on lib.mkRenamedOptionModule.
func TestSnowfallFromStore(t *testing.T) {
	if _, err := exec.LookPath("nix"); err != nil {
		t.Fatal("nix not found (scripts/test.sh installs nix-bin)")
	}
	vendor, _ := filepath.Abs("../../shared/vendor")
	tmp := t.TempDir()
	for _, d := range []string{"snowfall-lib", "flake-utils-plus", "flake-utils", "nix-systems", "nixpkgs-lib"} {
		if _, err := os.Stat(filepath.Join(vendor, d)); err != nil {
			t.Skip("needs the real " + d + " in ../shared/vendor, absent here")
		}
		if out, err := exec.Command("cp", "-r", filepath.Join(vendor, d), filepath.Join(tmp, d)).CombinedOutput(); err != nil {
			t.Fatalf("%v %s", err, out)
		}
	}
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
	cmd := exec.Command("nix", "--extra-experimental-features", "nix-command flakes", "flake", "lock")
	cmd.Dir = fleet
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("nix flake lock: %v\n%s", err, out)
	}
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
	if h := f.Hosts[1]; h.Name != "forge" || h.System.V != "x86_64-linux" {
		t.Errorf("forge's system: %+v", h.System)
	}
}
