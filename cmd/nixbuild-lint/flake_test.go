package main

import (
	"encoding/json"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestFlake evaluates the project's flake.nix with real Nix against a
// stand-in nixpkgs whose builders record their arguments
// (testdata/flake-standin): the package's vendorHash is the NAR hash of
// `go mod vendor` (recomputed here, so a dependency change without a new
// hash fails), and apps, devShells, overlays and lib.mkCheck are what the
// README says.
func TestFlake(t *testing.T) {
	if _, err := exec.LookPath("nix"); err != nil {
		t.Fatal("nix not found (scripts/test.sh installs nix-bin)")
	}
	root, _ := filepath.Abs("../..")
	standin, _ := filepath.Abs("../../testdata/flake-standin")
	vendor := filepath.Join(t.TempDir(), "vendor")
	cmd := exec.Command("go", "mod", "vendor", "-o", vendor)
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go mod vendor: %v\n%s", err, out)
	}
	hash, err := exec.Command("nix", "--extra-experimental-features", "nix-command", "hash", "path", vendor).Output()
	if err != nil {
		t.Fatalf("nix hash path: %v", err)
	}
	eval := func(attr, apply string) string {
		t.Helper()
		args := []string{"--extra-experimental-features", "nix-command flakes", "eval", "--json", "--no-write-lock-file",
			"--override-input", "nixpkgs", "path:" + standin, "git+file://" + root + "#" + attr}
		if apply != "" {
			args = append(args, "--apply", apply)
		}
		out, err := exec.Command("nix", args...).Output()
		if err != nil {
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				t.Fatalf("nix eval %s: %v\n%s", attr, err, ee.Stderr)
			}
			t.Fatalf("nix eval %s: %v", attr, err)
		}
		var s any
		if err := json.Unmarshal(out, &s); err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(s)
		return string(b)
	}
	if got, want := eval("packages.x86_64-linux.default.args.vendorHash", ""), `"`+strings.TrimSpace(string(hash))+`"`; got != want {
		t.Errorf("vendorHash %s, but go mod vendor hashes to %s: update flake.nix", got, want)
	}
	if got := eval("packages.aarch64-darwin.default.args", "a: [ a.pname a.subPackages a.doCheck ]"); got != `["nixbuild-lint",["cmd/nixbuild-lint"],false]` {
		t.Errorf("package args %s", got)
	}
	if got := eval("apps.x86_64-linux.default", ""); got != `{"program":"/nix/store/00000000000000000000000000000000-nixbuild-lint/bin/nixbuild-lint","type":"app"}` {
		t.Errorf("app %s", got)
	}
	if got := eval("devShells.x86_64-linux.default.args.packages", ""); got != `["go","golangci-lint","nix","pre-commit"]` {
		t.Errorf("devShell packages %s", got)
	}
	if got := eval("overlays.default", "o: (o { buildGoModule = a: a; } { }).nixbuild-lint.pname"); got != `"nixbuild-lint"` {
		t.Errorf("overlay %s", got)
	}
	if got := eval("lib.mkCheck", `f: (f { src = "/fleet"; failLevel = "error"; }).args.script`); !strings.Contains(got, `nixbuild-lint --eval static --fail-level error --color never /fleet`) {
		t.Errorf("mkCheck script %s", got)
	}
}
