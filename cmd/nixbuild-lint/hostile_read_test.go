package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The hostile-input tests of what the tool reads: nothing outside the
// checked tree, through symlinks neither; only regular files, bounded. Each
// starts from the clean fleet and plants what a stranger's pull request
// (or an unpacked archive) could hold. Run them alone with -run Hostile.

const secretMarker = "SECRET-MARKER-OUTSIDE-THE-TREE"

// hostileFleet is a copy of the clean fleet and, beside it, a directory
// outside the tree holding a secret file and an evil module.
func hostileFleet(t *testing.T) (tree, outside string) {
	t.Helper()
	tree = copyFleet(t, "clean")
	outside = t.TempDir()
	writeFile(t, filepath.Join(outside, "secret"), secretMarker)
	writeFile(t, filepath.Join(outside, "evil.nix"), `{ ... }: { nix.buildMachines = [ { hostName = "`+secretMarker+`"; systems = [ "x86_64-linux" ]; } ]; }`+"\n")
	writeFile(t, filepath.Join(outside, "config.yaml"), "disable: [ "+secretMarker+" ]\n")
	return tree, outside
}

func writeFile(t *testing.T, p, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	_ = os.Remove(link)
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}

// editFile replaces old by new in the tree's file rel.
func editFile(t *testing.T, tree, rel, old, new string) {
	t.Helper()
	p := filepath.Join(tree, rel)
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), old) {
		t.Fatalf("%s has no %q", rel, old)
	}
	writeFile(t, p, strings.Replace(string(data), old, new, 1))
}

// noLeak fails when the secret reached any output.
func noLeak(t *testing.T, out, errOut string) {
	t.Helper()
	if strings.Contains(out, secretMarker) || strings.Contains(errOut, secretMarker) {
		t.Errorf("a file outside the tree was read and printed:\n%s\n%s", out, errOut)
	}
}

// sshUserFromFile makes the Pi's build machine log in as the contents of
// hosts/pi/user.
func sshUserFromFile(t *testing.T, tree string) {
	editFile(t, tree, "hosts/pi/default.nix", "sshUser = fleet.builderUser;", "sshUser = builtins.readFile ./user;")
}

// TestHostileReadFileSymlink: builtins.readFile of a symlink out of the tree
// is refused (the value is unknown), in every output; a symlink inside
// the tree is read.
func TestHostileReadFileSymlink(t *testing.T) {
	tree, outside := hostileFleet(t)
	sshUserFromFile(t, tree)

	writeFile(t, filepath.Join(tree, "users/builder"), "nixremote-from-link")
	symlink(t, "../../users/builder", filepath.Join(tree, "hosts/pi/user"))
	out, _, _ := runCLI("hosts", "--eval", "static", "--format", "json", tree)
	if !strings.Contains(out, "nixremote-from-link") {
		t.Fatalf("a symlink inside the tree should be read:\n%s", out)
	}

	symlink(t, filepath.Join(outside, "secret"), filepath.Join(tree, "hosts/pi/user"))
	for _, args := range [][]string{
		{"hosts", "--eval", "static", "--format", "json", tree},
		{"--eval", "static", "--format", "github", tree},
		{"--eval", "static", "--format", "sarif", tree},
		{"--eval", "static", tree},
	} {
		out, errOut, code := runCLI(args...)
		noLeak(t, out, errOut)
		if code == 2 {
			t.Errorf("%v: exit 2 (%s)", args, errOut)
		}
	}
}

// TestHostileReadFileEnviron: the case that put a CI job's token into its
// annotations: a committed link to /proc/self/environ, read in the
// Action's fork mode (--eval static --format github).
func TestHostileReadFileEnviron(t *testing.T) {
	environ, err := os.ReadFile("/proc/self/environ")
	if err != nil {
		t.Skip("no /proc here")
	}
	// /proc/self/environ is the environment the process started with: the
	// first variable of it stands for the token.
	first, _, _ := strings.Cut(string(environ), "\x00")
	if !strings.Contains(first, "=") {
		t.Skip("empty environment")
	}
	tree, _ := hostileFleet(t)
	sshUserFromFile(t, tree)
	symlink(t, "/proc/self/environ", filepath.Join(tree, "hosts/pi/user"))
	for _, args := range [][]string{
		{"--eval", "static", "--format", "github", tree},
		{"hosts", "--eval", "static", "--format", "json", tree},
	} {
		out, errOut, _ := runCLI(args...)
		if strings.Contains(out, first) || strings.Contains(errOut, first) {
			t.Errorf("%v printed the environment:\n%s%s", args, out, errOut)
		}
	}
}

// TestHostileImportSymlink: a module that is a symlink out of the tree is
// not evaluated: no host that imports it can be read (here both), and the
// one line says why.
func TestHostileImportSymlink(t *testing.T) {
	tree, outside := hostileFleet(t)
	symlink(t, filepath.Join(outside, "evil.nix"), filepath.Join(tree, "modules/common.nix"))
	out, errOut, code := runCLI("--eval", "static", tree)
	noLeak(t, out, errOut)
	if code != 2 || errOut != "nixbuild-lint: flake.nix:18: modules/common.nix: a symlink out of the tree\n" {
		t.Errorf("want exit 2 and one line naming the link, got %d:\n%s%s", code, out, errOut)
	}
	// The same through a relative link climbing out.
	rel, err := filepath.Rel(filepath.Join(tree, "modules"), filepath.Join(outside, "evil.nix"))
	if err != nil {
		t.Fatal(err)
	}
	symlink(t, rel, filepath.Join(tree, "modules/common.nix"))
	out, errOut, _ = runCLI("--eval", "static", tree)
	noLeak(t, out, errOut)
	// And through a chain of links that starts inside the tree.
	symlink(t, filepath.Join(outside, "evil.nix"), filepath.Join(tree, "modules/hop2.nix"))
	symlink(t, "hop2.nix", filepath.Join(tree, "modules/hop1.nix"))
	symlink(t, "hop1.nix", filepath.Join(tree, "modules/common.nix"))
	out, errOut, _ = runCLI("--eval", "static", tree)
	noLeak(t, out, errOut)
}

// TestHostileDirectorySymlink: a directory symlink out of the tree is no
// way in, for import, readDir and pathExists.
func TestHostileDirectorySymlink(t *testing.T) {
	tree, outside := hostileFleet(t)
	writeFile(t, filepath.Join(outside, "pi/default.nix"), `{ ... }: { nix.buildMachines = [ { hostName = "`+secretMarker+`"; systems = [ "x86_64-linux" ]; } ]; nix.distributedBuilds = true; }`+"\n")
	if err := os.RemoveAll(filepath.Join(tree, "hosts/pi")); err != nil {
		t.Fatal(err)
	}
	symlink(t, filepath.Join(outside, "pi"), filepath.Join(tree, "hosts/pi"))
	out, errOut, code := runCLI("--eval", "static", "--format", "json", tree)
	noLeak(t, out, errOut)
	if code != 1 || !strings.Contains(out, "a symlink out of the tree") {
		t.Errorf("want the host unreadable (exit 1), got %d:\n%s%s", code, out, errOut)
	}

	// readDir and pathExists through a link to / see nothing of it.
	tree, _ = hostileFleet(t)
	symlink(t, "/", filepath.Join(tree, "root"))
	editFile(t, tree, "hosts/pi/default.nix", "sshUser = fleet.builderUser;",
		`sshUser = builtins.concatStringsSep "," (builtins.attrNames (builtins.readDir ../../root)) + (if builtins.pathExists ../../root/etc/passwd then "-passwd" else "");`)
	out, errOut, _ = runCLI("hosts", "--eval", "static", "--format", "json", tree)
	if strings.Contains(out, "proc") || strings.Contains(out, "-passwd") {
		t.Errorf("readDir or pathExists looked outside the tree:\n%s%s", out, errOut)
	}
}

// TestHostileFlakeSymlink: flake.nix itself a symlink out of the tree, or a
// loop: exit 2 with one line naming it.
func TestHostileFlakeSymlink(t *testing.T) {
	tree, outside := hostileFleet(t)
	data, err := os.ReadFile(filepath.Join(tree, "flake.nix"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(outside, "flake.nix"), strings.Replace(string(data), "Pi and laptop", secretMarker, 1))
	symlink(t, filepath.Join(outside, "flake.nix"), filepath.Join(tree, "flake.nix"))
	out, errOut, code := runCLI("--eval", "static", "--format", "json", tree)
	noLeak(t, out, errOut)
	if code != 2 || out != "" || errOut != "nixbuild-lint: flake.nix: a symlink out of the tree\n" {
		t.Errorf("want exit 2 and one line, got %d:\n%s%s", code, out, errOut)
	}
	symlink(t, "flake.nix", filepath.Join(tree, "flake.nix"))
	_, errOut, code = runCLI("--eval", "static", tree)
	if code != 2 || errOut != "nixbuild-lint: flake.nix: a symlink loop\n" {
		t.Errorf("want exit 2 and a symlink loop, got %d: %s", code, errOut)
	}
}

// TestHostileConfigSymlink: .nixbuild-lint.yaml linked out of the tree is
// refused without printing a byte of its target.
func TestHostileConfigSymlink(t *testing.T) {
	tree, outside := hostileFleet(t)
	symlink(t, filepath.Join(outside, "config.yaml"), filepath.Join(tree, ".nixbuild-lint.yaml"))
	out, errOut, code := runCLI("--eval", "static", tree)
	noLeak(t, out, errOut)
	if code != 2 || errOut != "nixbuild-lint: .nixbuild-lint.yaml: cannot read the configuration: a symlink out of the tree\n" {
		t.Errorf("want exit 2 and one line, got %d:\n%s%s", code, out, errOut)
	}
	// A link to a file of the tree is a configuration like any other.
	writeFile(t, filepath.Join(tree, "lint/config.yaml"), "disable: [ no-such-rule-here ]\n")
	symlink(t, "lint/config.yaml", filepath.Join(tree, ".nixbuild-lint.yaml"))
	_, errOut, code = runCLI("--eval", "static", tree)
	if code != 2 || !strings.Contains(errOut, "no-such-rule-here") {
		t.Errorf("a config linked inside the tree should be read, got %d: %s", code, errOut)
	}
}

// TestHostileStringPathDotDot: a string made of a path and "/../.." names
// a file outside the tree; it is cleaned before the check, as Nix does.
func TestHostileStringPathDotDot(t *testing.T) {
	tree, _ := hostileFleet(t)
	writeFile(t, filepath.Join(filepath.Dir(tree), "secret.txt"), secretMarker)
	for _, expr := range []string{
		`builtins.readFile "${./.}/../../../secret.txt"`,
		`builtins.readFile ("${./.}" + "/../../../secret.txt")`,
		`builtins.readFile "${./.}/../pi/../../../secret.txt"`,
	} {
		t2 := copyFleet(t, "clean")
		writeFile(t, filepath.Join(filepath.Dir(t2), "secret.txt"), secretMarker)
		editFile(t, t2, "hosts/pi/default.nix", "sshUser = fleet.builderUser;", "sshUser = "+expr+";")
		out, errOut, _ := runCLI("hosts", "--eval", "static", "--format", "json", t2)
		noLeak(t, out, errOut)
	}
	// Inside the tree the same form still reads.
	editFile(t, tree, "hosts/pi/default.nix", "sshUser = fleet.builderUser;", `sshUser = builtins.readFile "${./.}/../ritchie/../../users/u";`)
	writeFile(t, filepath.Join(tree, "users/u"), "user-through-dotdot")
	out, _, _ := runCLI("hosts", "--eval", "static", "--format", "json", tree)
	if !strings.Contains(out, "user-through-dotdot") {
		t.Errorf("a string path with .. inside the tree should be read:\n%s", out)
	}
}
