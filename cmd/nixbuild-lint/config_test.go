package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSuppressionComments(t *testing.T) {
	dir := copyFleet(t, "seed")
	file := filepath.Join(dir, "hosts/pi/configuration.nix")
	data, _ := os.ReadFile(file)
	text := strings.Replace(string(data), "      systems = [", "      # nixbuild-lint: ignore unsupported-system -- ritchie gets emulation in the next deploy\n      systems = [", 1)
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, code := runCLI("--color", "never", dir)
	if code != 0 || strings.Contains(out, "(unsupported-system)") {
		t.Errorf("suppressed finding still reported (exit %d):\n%s", code, out)
	}
	// The same comment without a reason suppresses nothing and is reported.
	text = strings.Replace(text, " -- ritchie gets emulation in the next deploy", "", 1)
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, code = runCLI("--color", "never", dir)
	if code != 1 || !strings.Contains(out, "(unsupported-system)") || !strings.Contains(out, "gives no reason") {
		t.Errorf("want the finding and an invalid-suppression (exit %d):\n%s", code, out)
	}
	// --fix leaves suppressed findings alone.
	text = strings.Replace(text, "ignore unsupported-system", "ignore unsupported-system -- deliberate", 1)
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if d, _, code := runCLI("--diff", dir); d != "" || code != 0 {
		t.Errorf("--diff fixes a suppressed finding (exit %d):\n%s", code, d)
	}
}

func TestConfigFile(t *testing.T) {
	dir := copyFleet(t, "unknown-builder-host")
	write := func(s string) {
		if err := os.WriteFile(filepath.Join(dir, ".nixbuild-lint.yaml"), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, code := runCLI(dir); code != 1 {
		t.Fatalf("without configuration: exit %d, want 1", code)
	}
	write("fail-level: error\n")
	if _, _, code := runCLI(dir); code != 0 {
		t.Errorf("fail-level error in the file: exit %d, want 0", code)
	}
	if _, _, code := runCLI("--fail-level", "warning", dir); code != 1 {
		t.Errorf("--fail-level on the command line wins: exit %d, want 1", code)
	}
	write("severity:\n  unknown-builder-host: error\n")
	out, _, _ := runCLI("--color", "never", dir)
	if !strings.Contains(out, "2 errors") {
		t.Errorf("severity override not applied:\n%s", out)
	}
	write("disable:\n  - unknown-builder-host\n  - NBL026\n")
	out, _, code := runCLI("--color", "never", "--fail-level", "info", dir)
	if code != 0 || out != "" {
		t.Errorf("disabled rules still reported (exit %d):\n%s", code, out)
	}
	write("fail-level: error\ndisable:\n  - no-such-rule\n")
	_, errOut, code := runCLI(dir)
	if code != 2 || !strings.Contains(errOut, ".nixbuild-lint.yaml:3: disable: no rule named \"no-such-rule\"") {
		t.Errorf("bad rule name: exit %d, %q", code, errOut)
	}
	write("failure-level: error\n")
	_, errOut, code = runCLI(dir)
	if code != 2 || !strings.Contains(errOut, "failure-level") || strings.Count(errOut, "\n") != 1 {
		t.Errorf("unknown key: exit %d, %q", code, errOut)
	}
	_, errOut, code = runCLI("--config", filepath.Join(dir, "missing.yaml"), dir)
	if code != 2 || !strings.Contains(errOut, "missing.yaml: cannot read the configuration") {
		t.Errorf("missing --config: exit %d, %q", code, errOut)
	}
}
