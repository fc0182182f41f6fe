package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nixbuild-lint/nixbuild-lint/internal/standin"
)

// TestHostsFlakePartsNote: when flake-parts' real source (here a local
// copy, path: inputs locked into the store by the real nix) stops the
// static reader, hosts still lists the host, read by the model, and says
// on stderr that it did and why; so does the check.
func TestHostsFlakePartsNote(t *testing.T) {
	if _, err := exec.LookPath("nix"); err != nil {
		t.Fatal("nix not found (scripts/test.sh installs nix-bin)")
	}
	tmp := standin.Vendored(t, "../..", "flake-parts", "nixpkgs-lib")
	p := filepath.Join(tmp, "flake-parts", "modules", "nixosConfigurations.nix")
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(data), "type = types.lazyAttrsOf types.raw;", `type = if builtins.getEnv "NBL_TYPE" == "" then types.lazyAttrsOf types.raw else types.raw;`, 1)
	if text == string(data) {
		t.Fatal("flake-parts' modules/nixosConfigurations.nix changed: update this test")
	}
	fleet := filepath.Join(tmp, "fleet")
	for name, content := range map[string]string{
		p: text,
		filepath.Join(fleet, "flake.nix"): `{
  inputs.nixpkgs.url = "path:` + tmp + `/nixpkgs-lib";
  inputs.flake-parts.url = "path:` + tmp + `/flake-parts";
  inputs.flake-parts.inputs.nixpkgs-lib.follows = "nixpkgs";
  outputs = inputs: inputs.flake-parts.lib.mkFlake { inherit inputs; } {
    systems = [ "x86_64-linux" ];
    flake.nixosConfigurations.forge = inputs.nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [ { networking.hostName = "forge"; } ];
    };
  };
}
`,
	} {
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("nix", "--extra-experimental-features", "nix-command flakes", "flake", "lock")
	cmd.Dir = fleet
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("nix flake lock: %v\n%s", err, out)
	}
	for _, d := range []string{"flake-parts", "nixpkgs-lib"} {
		if err := os.RemoveAll(filepath.Join(tmp, d)); err != nil {
			t.Fatal(err)
		}
	}
	out, errOut, code := runCLI("hosts", "--color", "never", fleet)
	wantErr := "nixbuild-lint: note: flake-parts read by the reader's model, not its source in the store: the real mkFlake stopped on nixosConfigurations: " +
		`condition unknown: condition unknown: condition unknown: condition unknown: builtins.getEnv "NBL_TYPE" (the environment of the evaluation; --impure reads it): _type` + "\n"
	if code != 0 || out != "forge\tx86_64-linux\tflake.nix\n" || errOut != wantErr {
		t.Errorf("exit %d\nstdout %q\nstderr %q\nwant   %q", code, out, errOut, wantErr)
	}
	// The check says it too, after its findings.
	out, errOut, code = runCLI("--color", "never", "--eval", "static", fleet)
	if code != 0 || !strings.HasSuffix(errOut, wantErr) {
		t.Errorf("check: exit %d\nstdout %q\nstderr %q\nwant   …%q", code, out, errOut, wantErr)
	}
}
