package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestVersionAndHelp: --version and version print the build's version
// ("(devel)" from a checkout, as go test builds it); help and help COMMAND
// are commands; a directory named help is still checked as ./help.
func TestVersionAndHelp(t *testing.T) {
	for _, args := range [][]string{{"--version"}, {"version"}} {
		out, errOut, code := runCLI(args...)
		if code != 0 || out != "nixbuild-lint (devel)\n" || errOut != "" {
			t.Errorf("%v: exit %d, %q %q", args, code, out, errOut)
		}
	}
	out, _, code := runCLI("help")
	if code != 0 || !strings.Contains(out, "COMMANDS:") || !strings.Contains(out, "nixbuild-lint help [COMMAND]") {
		t.Errorf("help: exit %d\n%s", code, out)
	}
	out, _, code = runCLI("help", "rules")
	if code != 0 || !strings.HasPrefix(out, "NAME:\n   nixbuild-lint rules - list the rules") {
		t.Errorf("help rules: exit %d\n%s", code, out)
	}
	// A fleet in a directory named help.
	dir := t.TempDir()
	fleet := copyFleet(t, "seed")
	if err := os.Rename(fleet, filepath.Join(dir, "help")); err != nil {
		t.Fatal(err)
	}
	wd, _ := os.Getwd()
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = os.Chdir(wd) }()
	out, _, code = runCLI("--color", "never", "./help")
	if code != 1 || !strings.Contains(out, "(unsupported-system)") {
		t.Errorf("./help: exit %d\n%s", code, out)
	}
	// JSON and SARIF carry the same version.
	out, _, _ = runCLI("--format", "json", "./help")
	if !strings.Contains(out, `"version": "(devel)"`) {
		t.Errorf("json without version:\n%.300s", out)
	}
	out, _, _ = runCLI("--format", "sarif", "./help")
	if !strings.Contains(out, `"version": "(devel)"`) {
		t.Errorf("sarif without driver.version:\n%.300s", out)
	}
}
