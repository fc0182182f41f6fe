package main

import (
	"os"
	"os/exec"
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

// TestBashCompletion: the script from `completion bash`, sourced by a real
// bash, completes commands, rule names after rules, --format and --host
// values, and falls back to file names.
func TestBashCompletion(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Fatal("bash not found")
	}
	bin := filepath.Join(t.TempDir(), "nixbuild-lint")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	script, _, code := runCLI("completion", "bash")
	if code != 0 {
		t.Fatalf("completion bash: exit %d", code)
	}
	if _, _, code := runCLI("completion", "tcsh"); code != 2 {
		t.Errorf("completion tcsh: exit %d, want 2", code)
	}
	scriptFile := filepath.Join(t.TempDir(), "c.bash")
	if err := os.WriteFile(scriptFile, []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	seed, _ := filepath.Abs(filepath.Join(configs, "seed"))
	for _, tc := range []struct{ words, want string }{
		{"rules unsup", "unsupported-feature unsupported-system"},
		{"--format ''", "github json rdjson sarif text"},
		{"graph --format ''", "dot mermaid"},
		{"--fail-level w", "warning"},
		{"ver", "verify version"},
		{"completion ''", "bash fish zsh"},
		{"--host ''", "pi=hosts/pi/configuration.nix ritchie=hosts/ritchie/configuration.nix"},
		{"fla", "flake.nix"},
	} {
		prog := `source "$1"; COMP_WORDS=(nixbuild-lint ` + tc.words + `); COMP_CWORD=$((${#COMP_WORDS[@]}-1)); _nixbuild_lint; printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' '`
		cmd := exec.Command(bash, "-c", prog, "bash", scriptFile)
		cmd.Dir = seed
		cmd.Env = append(os.Environ(), "PATH="+filepath.Dir(bin)+":"+os.Getenv("PATH"))
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%s: %v", tc.words, err)
		}
		if got := strings.TrimSpace(string(out)); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.words, got, tc.want)
		}
	}
}
