package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestStoreInputPaths: a finding in a module of a flake input read from
// the Nix store (real Nix locks the input, copying it to the store; the
// original is deleted) names the input in text, <input agenix>/modules/
// age.nix:7:5, not ../../../../nix/store/<hash>-source/…; JSON and SARIF
// give the absolute store path.
func TestStoreInputPaths(t *testing.T) {
	if _, err := exec.LookPath("nix"); err != nil {
		t.Fatal("nix not found (scripts/test.sh installs nix-bin)")
	}
	tmp := t.TempDir()
	files := map[string]string{
		"np/flake.nix":     `{ outputs = _: { }; }`,
		"agenix/flake.nix": `{ outputs = { self }: { nixosModules.default = import ./modules/age.nix; }; }`,
		"agenix/modules/age.nix": `{ ... }:
{
  nix.distributedBuilds = true;
  nix.settings.builders-use-substitutes = true;
  nix.buildMachines = [ {
    hostName = "builder.example.org";
    maxJobs = 0;
    systems = [ "x86_64-linux" ];
  } ];
}
`,
		"fleet/flake.nix": `{
  inputs.nixpkgs.url = "path:` + filepath.Join(tmp, "np") + `";
  inputs.agenix.url = "path:` + filepath.Join(tmp, "agenix") + `";
  outputs = { self, nixpkgs, agenix }: {
    nixosConfigurations.pi = nixpkgs.lib.nixosSystem {
      system = "aarch64-linux";
      modules = [ agenix.nixosModules.default { networking.hostName = "pi"; } ];
    };
  };
}
`,
	}
	for name, content := range files {
		p := filepath.Join(tmp, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	fleet := filepath.Join(tmp, "fleet")
	cmd := exec.Command("nix", "--extra-experimental-features", "nix-command flakes", "flake", "lock")
	cmd.Dir = fleet
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("nix flake lock: %v\n%s", err, out)
	}
	if err := os.RemoveAll(filepath.Join(tmp, "agenix")); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runCLI("--color", "never", "--eval", "static", fleet)
	if code != 1 || !strings.HasPrefix(out, "<input agenix>/modules/age.nix:7:5: build machine \"builder.example.org\" has maxJobs = 0") || strings.Contains(out, "../") {
		t.Errorf("text: exit %d\n%s%s", code, out, errOut)
	}
	js, _, _ := runCLI("--format", "json", "--eval", "static", fleet)
	if !regexp.MustCompile(`"file": "/nix/store/[0-9a-z]{32}-source/modules/age.nix"`).MatchString(js) {
		t.Errorf("json:\n%s", js)
	}
	sarif, _, _ := runCLI("--format", "sarif", "--eval", "static", fleet)
	if !regexp.MustCompile(`"uri": "file:///nix/store/[0-9a-z]{32}-source/modules/age.nix"`).MatchString(sarif) {
		t.Errorf("sarif:\n%s", sarif)
	}
}
