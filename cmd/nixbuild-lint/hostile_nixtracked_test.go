package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Issue 22, item 3 under --eval nix: Nix is given a copy of the files git
// tracks (check.CopyWithOverlay), not path:DIR, which is every file of the
// directory: a git-ignored .env or an untracked module does not exist for
// Nix, as it does not for the static reader.

// nixArgs runs a command under --eval nix on tree, its inputs the
// stand-ins.
func nixArgs(t *testing.T, tree string, args ...string) []string {
	t.Helper()
	nixpkgs, other := standIns(t)
	return append(append(append(args, "--color", "never", "--no-cache", "--eval", "nix"), overrides(tree, nixpkgs, other)...), tree)
}

// TestHostileNixGitIgnoredFile: a module reads a git-ignored .env. Without
// git Nix reads it, as always; in a git repository Nix is not given it:
// the host is unreadable (exit 1), the message names the file as the tree
// has it and says git does not track it, and the secret is in no output.
func TestHostileNixGitIgnoredFile(t *testing.T) {
	needNix(t)
	tree, _ := hostileFleet(t)
	writeFile(t, filepath.Join(tree, ".gitignore"), ".env\n")
	editFile(t, tree, "hosts/pi/default.nix", "sshUser = fleet.builderUser;", "sshUser = builtins.readFile ../../.env;")
	writeFile(t, filepath.Join(tree, ".env"), secretMarker)
	out, errOut, code := runCLI(nixArgs(t, tree, "hosts", "--format", "json")...)
	if code != 0 || !strings.Contains(out, `"value": "`+secretMarker+`"`) {
		t.Fatalf("without git the .env is the flake's: exit %d\n%s%s", code, out, errOut)
	}
	gitInit(t, tree, "-A")
	want := "flake.nix:13:25: host pi cannot be read: Nix cannot evaluate it: getting status of '.env' (not tracked by git: Nix does not see it): No such file or directory; nothing is checked on it (host-unreadable)\n"
	for _, args := range [][]string{{"hosts", "--format", "json"}, {"--format", "json"}, {"--format", "github"}, {}} {
		out, errOut, code := runCLI(nixArgs(t, tree, args...)...)
		noLeak(t, out, errOut)
		if len(args) == 0 && (code != 1 || !strings.HasPrefix(out, want)) {
			t.Errorf("exit %d, want 1 and\n%s\ngot:\n%s%s", code, want, out, errOut)
		}
	}
	// The copy given to Nix is gone.
	left, _ := filepath.Glob(filepath.Join(os.TempDir(), "nixbuild-lint-nix-*"))
	for _, d := range left {
		if data, _ := os.ReadFile(filepath.Join(d, "hosts/pi/default.nix")); strings.Contains(string(data), "../../.env") {
			t.Errorf("copy left behind: %s", d)
		}
	}
}

// TestHostileNixGitUntrackedModule: a module imports a file git does not
// track: to Nix it does not exist (exit 1, the host unreadable, the file
// named by its tree path), and its contents are not read.
func TestHostileNixGitUntrackedModule(t *testing.T) {
	needNix(t)
	tree, _ := hostileFleet(t)
	gitInit(t, tree, "-A")
	writeFile(t, filepath.Join(tree, "hosts/pi/extra.nix"), `{ nix.buildMachines = [ { hostName = "`+secretMarker+`"; systems = [ "x86_64-linux" ]; } ]; }`)
	editFile(t, tree, "hosts/pi/default.nix", "imports = [ ./hardware-configuration.nix ];", "imports = [ ./hardware-configuration.nix ./extra.nix ];")
	gitInit(t, tree, "hosts/pi/default.nix")
	sout, _, scode := runCLI("--color", "never", "--eval", "static", tree)
	out, errOut, code := runCLI(nixArgs(t, tree)...)
	noLeak(t, out, errOut)
	if scode != 1 || !strings.Contains(sout, "hosts/pi/extra.nix: not tracked by git (Nix does not see it)") ||
		code != 1 || !strings.Contains(out, "host pi cannot be read: Nix cannot evaluate it: getting status of 'hosts/pi/extra.nix' (not tracked by git: Nix does not see it): No such file or directory") {
		t.Errorf("static exit %d:\n%s\nnix exit %d:\n%s%s", scode, sout, code, out, errOut)
	}
}

// TestHostileNixGitPositions: under --eval nix in a git repository (Nix
// evaluates a copy) the findings, with their files, lines and columns, are
// the static reader's: the real tree's files.
func TestHostileNixGitPositions(t *testing.T) {
	needNix(t)
	tree := copyFleet(t, "seed")
	gitInit(t, tree, "-A")
	fs, _, codeS := runCLI("--format", "json", "--fail-level", "info", "--eval", "static", tree)
	fn, errN, codeN := runCLI(nixArgs(t, tree, "--format", "json", "--fail-level", "info")...)
	if codeS != 1 || codeN != 1 {
		t.Fatalf("exit %d (static), %d (nix): %s", codeS, codeN, errN)
	}
	if a, b := findingsOnly(t, fs), findingsOnly(t, fn); a != b || !strings.Contains(b, `"file": "hosts/`) {
		t.Errorf("findings differ:\n%s", firstDiff(a, b))
	}
}

// TestHostileNixGitConfig: .git is not the flake's either: a CI checkout
// keeps its token in .git/config, which path:DIR gave Nix to read.
func TestHostileNixGitConfig(t *testing.T) {
	needNix(t)
	tree, _ := hostileFleet(t)
	editFile(t, tree, "hosts/pi/default.nix", "sshUser = fleet.builderUser;", "sshUser = builtins.readFile ../../.git/config;")
	gitInit(t, tree, "-A")
	cmd := exec.Command("git", "config", "http.extraheader", "AUTHORIZATION: basic "+secretMarker)
	cmd.Dir = tree
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git config: %v\n%s", err, out)
	}
	out, errOut, code := runCLI(nixArgs(t, tree)...)
	noLeak(t, out, errOut)
	if code != 1 || !strings.Contains(out, "getting status of '.git' (not tracked by git: Nix does not see it): No such file or directory") {
		t.Errorf("exit %d:\n%s%s", code, out, errOut)
	}
}

// TestHostileNixGitSubdirectory: a flake in a subdirectory of its
// repository, holding only tracked files (Nix is given the directory as
// it is: nothing to hide), then a git-ignored file written into it, which
// Nix must not see.
func TestHostileNixGitSubdirectory(t *testing.T) {
	needNix(t)
	repo := t.TempDir()
	tree := filepath.Join(repo, "infra")
	if err := os.Rename(copyFleet(t, "seed"), tree); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(repo, ".gitignore"), ".env\n")
	editFile(t, tree, "hosts/ritchie/configuration.nix", `networking.hostName = "ritchie";`, `networking.hostName = "ritchie"; users.users.root.description = builtins.readFile ../../.env;`)
	gitInit(t, repo, "-A")
	out, errOut, code := runCLI(nixArgs(t, tree)...)
	if code != 1 || !strings.Contains(out, "-source/.env': No such file or directory") {
		t.Errorf("clean: exit %d:\n%s%s", code, out, errOut)
	}
	writeFile(t, filepath.Join(tree, ".env"), secretMarker)
	out, errOut, code = runCLI(nixArgs(t, tree)...)
	noLeak(t, out, errOut)
	if code != 1 || !strings.Contains(out, "getting status of '.env' (not tracked by git: Nix does not see it): No such file or directory") {
		t.Errorf("with the ignored file: exit %d:\n%s%s", code, out, errOut)
	}
}
