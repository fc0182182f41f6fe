package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
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
		`builtins.readFile "${inputs.self}/../secret.txt"`,
		`builtins.readFile (inputs.self + "/../secret.txt")`,
	} {
		t2 := copyFleet(t, "clean")
		writeFile(t, filepath.Join(filepath.Dir(t2), "secret.txt"), secretMarker)
		editFile(t, t2, "hosts/pi/default.nix", "{ config, lib, pkgs, fleet, ... }:", "{ config, lib, pkgs, fleet, inputs, ... }:")
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

func mkfifo(t *testing.T, p string) {
	t.Helper()
	_ = os.Remove(p)
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		t.Skip("no FIFOs here:", err)
	}
}

// withTimeout runs the command, failing (instead of hanging the test run)
// when it takes more than 20 s.
func withTimeout(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	type res struct {
		out, errOut string
		code        int
	}
	done := make(chan res, 1)
	go func() {
		o, e, c := runCLI(args...)
		done <- res{o, e, c}
	}()
	select {
	case r := <-done:
		return r.out, r.errOut, r.code
	case <-time.After(20 * time.Second):
		t.Fatalf("%v hangs", args)
	}
	return "", "", 0
}

// TestHostileSpecialFilesInTree: /dev/zero or a FIFO as a module,
// flake.nix, readFile target or .nixbuild-lint.yaml is refused at once,
// without reading it: one line naming the file, or a host that cannot be
// read.
func TestHostileSpecialFilesInTree(t *testing.T) {
	for _, kind := range []string{"fifo", "/dev/zero"} {
		plant := func(p string) {
			if kind == "fifo" {
				mkfifo(t, p)
			} else {
				symlink(t, kind, p)
			}
		}
		what := map[string]string{"fifo": "a FIFO, not a regular file", "/dev/zero": "a symlink out of the tree"}[kind]

		tree, _ := hostileFleet(t)
		plant(filepath.Join(tree, "hosts/ritchie/builder.nix"))
		out, errOut, code := withTimeout(t, "--eval", "static", tree)
		if code != 1 || !strings.Contains(out, "host ritchie cannot be read: hosts/ritchie/builder.nix: "+what) {
			t.Errorf("%s as a module: want ritchie unreadable (exit 1), got %d:\n%s%s", kind, code, out, errOut)
		}

		tree, _ = hostileFleet(t)
		plant(filepath.Join(tree, "flake.nix"))
		out, errOut, code = withTimeout(t, "--eval", "static", tree)
		if code != 2 || out != "" || errOut != "nixbuild-lint: flake.nix: "+what+"\n" {
			t.Errorf("%s as flake.nix: got %d:\n%s%s", kind, code, out, errOut)
		}

		tree, _ = hostileFleet(t)
		sshUserFromFile(t, tree)
		plant(filepath.Join(tree, "hosts/pi/user"))
		out, errOut, code = withTimeout(t, "hosts", "--eval", "static", "--format", "json", tree)
		if i := strings.Index(out, `"sshUser": {`); code != 0 || i < 0 || !strings.HasPrefix(strings.Join(strings.Fields(out[i:]), " "), `"sshUser": { "value": "", "unknown": true`) {
			t.Errorf("%s as readFile's file: want the value unknown, got %d:\n%s%s", kind, code, out, errOut)
		}

		tree, _ = hostileFleet(t)
		plant(filepath.Join(tree, ".nixbuild-lint.yaml"))
		out, errOut, code = withTimeout(t, "--eval", "static", tree)
		if code != 2 || errOut != "nixbuild-lint: .nixbuild-lint.yaml: cannot read the configuration: "+what+"\n" {
			t.Errorf("%s as the configuration: got %d:\n%s%s", kind, code, out, errOut)
		}
	}
}

// TestHostileSpecialFileArguments: what the user names on the command line
// (--config, a machines file, an @include in it, explain's input) may be
// anywhere, but must be a regular file: /dev/zero and a FIFO give one
// line and exit 2 (an include: a finding), at once.
func TestHostileSpecialFileArguments(t *testing.T) {
	tree, _ := hostileFleet(t)
	fifo := filepath.Join(t.TempDir(), "fifo")
	mkfifo(t, fifo)
	for _, p := range []string{"/dev/zero", fifo} {
		what := map[string]string{"/dev/zero": "a device, not a regular file", fifo: "a FIFO, not a regular file"}[p]
		for _, c := range []struct {
			args []string
			want string
		}{
			{[]string{"--eval", "static", "--config", p, tree}, p + ": cannot read the configuration: " + what},
			{[]string{"machines", p}, p + ": cannot read: " + what},
			{[]string{"explain", p}, p + ": cannot read: " + what},
		} {
			out, errOut, code := withTimeout(t, c.args...)
			if code != 2 || out != "" || errOut != "nixbuild-lint: "+c.want+"\n" {
				t.Errorf("%v: want exit 2 and %q, got %d:\n%s%s", c.args, c.want, code, out, errOut)
			}
		}
		m := filepath.Join(t.TempDir(), "machines")
		writeFile(t, m, "@"+p+"\n")
		out, errOut, code := withTimeout(t, "machines", m)
		if code != 1 || !strings.Contains(out, "@"+p+" cannot be read ("+what+")") {
			t.Errorf("@%s: want a machines-file-syntax finding, got %d:\n%s%s", p, code, out, errOut)
		}
	}
}

// TestHostileMachinesIncludeTwice: a file included twice side by side is
// read twice (its finding comes twice), not a loop; a real loop is.
func TestHostileMachinesIncludeTwice(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good")
	writeFile(t, good, "ssh-ng://nixremote@ritchie arm64-linux - 4 2 - - -\n")
	m := filepath.Join(dir, "machines")
	writeFile(t, m, "@"+good+"\n@"+good+"\n")
	out, _, _ := runCLI("machines", m)
	if strings.Contains(out, "includes itself") || strings.Count(out, "(invalid-system)") != 2 {
		t.Errorf("a repeated include is no loop:\n%s", out)
	}
	loop := filepath.Join(dir, "loop")
	writeFile(t, loop, "@"+loop+"\n")
	out, _, _ = runCLI("machines", loop)
	if !strings.Contains(out, "@"+loop+" includes itself") {
		t.Errorf("a loop should be one:\n%s", out)
	}
}

// TestHostileExplainLongLine: a log of one 64 MB line and then Nix's
// error is read in bounded memory, and the error is still explained.
func TestHostileExplainLongLine(t *testing.T) {
	p := filepath.Join(t.TempDir(), "log")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	chunk := []byte(strings.Repeat("x", 1<<20))
	for range 64 {
		if _, err := f.Write(chunk); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.WriteString("\nerror: cannot build on 'ssh://ritchie': error: cannot connect to 'ritchie': ssh: Could not resolve hostname ritchie: Name or service not known\n"); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	out, errOut, code := withTimeout(t, "explain", p)
	runtime.ReadMemStats(&after)
	if code != 0 || !strings.Contains(out, "ritchie") {
		t.Errorf("want the error explained, got %d:\n%s%s", code, out, errOut)
	}
	if grown := after.TotalAlloc - before.TotalAlloc; grown > 32<<20 {
		t.Errorf("explain allocated %d MB for a 64 MB log", grown>>20)
	}
}

// TestHostilePathMessages: an empty PATH and a directory without flake.nix
// (/, which is not walked) are one line at once.
func TestHostilePathMessages(t *testing.T) {
	_, errOut, code := runCLI("")
	if code != 2 || errOut != "nixbuild-lint: PATH is empty: give a flake directory\n" {
		t.Errorf("empty PATH: %d %q", code, errOut)
	}
	start := time.Now()
	_, errOut, code = withTimeout(t, "--eval", "static", "/")
	if code != 2 || errOut != "nixbuild-lint: /: no flake.nix here; give the hosts with --host NAME=PATH\n" {
		t.Errorf("/: %d %q", code, errOut)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("/ took %v: the file system was walked", d)
	}
}

func gitInit(t *testing.T, dir string, add ...string) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	for _, args := range [][]string{{"init", "-q"}, append([]string{"add"}, add...), {"commit", "-qm", "fleet"}} {
		cmd := exec.Command("git", append([]string{"-c", "user.email=t@t", "-c", "user.name=t"}, args...)...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
}

// TestHostileGitUntracked: a flake in a git repository sees the files git
// tracks, as Nix copies them: a git-ignored .env a CI job wrote, or an
// untracked module, is not there.
func TestHostileGitUntracked(t *testing.T) {
	tree, _ := hostileFleet(t)
	writeFile(t, filepath.Join(tree, ".gitignore"), ".env\n")
	sshUserFromFile(t, tree)
	writeFile(t, filepath.Join(tree, "hosts/pi/user"), "nixremote")
	gitInit(t, tree, "-A")
	writeFile(t, filepath.Join(tree, ".env"), "TOKEN="+secretMarker)
	writeFile(t, filepath.Join(tree, "hosts/pi/extra.nix"), `{ nix.buildMachines = [ { hostName = "`+secretMarker+`"; systems = [ "x86_64-linux" ]; } ]; }`)
	out, _, _ := runCLI("hosts", "--eval", "static", "--format", "json", tree)
	if !strings.Contains(out, `"value": "nixremote"`) {
		t.Fatalf("a tracked file should be read:\n%s", out)
	}
	gitAdd := func() {
		cmd := exec.Command("git", "add", "hosts/pi/default.nix")
		cmd.Dir = tree
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git add: %v\n%s", err, out)
		}
	}
	editFile(t, tree, "hosts/pi/default.nix", "builtins.readFile ./user", "builtins.readFile ../../.env")
	gitAdd()
	out, errOut, _ := runCLI("hosts", "--eval", "static", "--format", "json", tree)
	noLeak(t, out, errOut)
	if !strings.Contains(out, `"unknown": true`) {
		t.Errorf("the ignored file's value should be unknown:\n%s", out)
	}
	editFile(t, tree, "hosts/pi/default.nix", "imports = [ ./hardware-configuration.nix ];", "imports = [ ./hardware-configuration.nix ./extra.nix ];")
	gitAdd()
	out, errOut, code := runCLI("--eval", "static", "--format", "json", tree)
	noLeak(t, out, errOut)
	if code != 1 || !strings.Contains(out, "hosts/pi/extra.nix: not tracked by git (Nix does not see it)") {
		t.Errorf("want pi unreadable for its untracked module, got %d:\n%s%s", code, out, errOut)
	}
}

// TestHostileBogusDotGit: an empty .git file above the flake makes no
// repository of the directory above, so nothing there is readable.
func TestHostileBogusDotGit(t *testing.T) {
	tree, _ := hostileFleet(t)
	parent := filepath.Dir(tree)
	writeFile(t, filepath.Join(parent, ".git"), "")
	writeFile(t, filepath.Join(parent, "secret.txt"), secretMarker)
	editFile(t, tree, "hosts/pi/default.nix", "sshUser = fleet.builderUser;", "sshUser = builtins.readFile ../../../secret.txt;")
	out, errOut, _ := runCLI("hosts", "--eval", "static", "--format", "json", tree)
	noLeak(t, out, errOut)
}

// TestHostileExcerptSource: the text output reads the source lines it
// shows through the same door: regular files only. An include's finding
// is placed in a file of the same name beside the machines file, a FIFO
// here, which once hung the output.
func TestHostileExcerptSource(t *testing.T) {
	dir, other := t.TempDir(), t.TempDir()
	mkfifo(t, filepath.Join(dir, "inc"))
	writeFile(t, filepath.Join(other, "inc"), "ssh://a x86_64-linux\nssh://b arm64-linux\n")
	writeFile(t, filepath.Join(dir, "machines"), "@"+filepath.Join(other, "inc")+"\n")
	out, errOut, code := withTimeout(t, "machines", filepath.Join(dir, "machines"))
	if code != 1 || !strings.Contains(out, "inc:2:9: build machine") {
		t.Errorf("want the invalid system found, got %d:\n%s%s", code, out, errOut)
	}
}

// TestHostileBinaryModule: a module that is no Nix file (binary, not
// UTF-8, over 8 MB) stops the run as flake.nix would: exit 2 and one line,
// not a host-unreadable finding with the binary's first line as excerpt.
func TestHostileBinaryModule(t *testing.T) {
	for name, content := range map[string]string{
		"elf":    "\x7fELF\x02\x01\x01\x00\x00\x00\n\x1b]0;title\x07\n",
		"latin1": "{ networking.hostName = \"caf\xe9\"; }\n",
	} {
		tree, _ := hostileFleet(t)
		writeFile(t, filepath.Join(tree, "hosts/ritchie/builder.nix"), content)
		out, errOut, code := runCLI("--eval", "static", tree)
		if code != 2 || out != "" || !strings.HasPrefix(errOut, "nixbuild-lint: hosts/ritchie/builder.nix:1: not a Nix file") || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%s: want exit 2 and one line, got %d:\n%s%s", name, code, out, errOut)
		}
	}
}

// TestHostileConfigMessages: a setting of the wrong kind is named in the
// tool's words (not Go's types), and .nixbuild-lint.yml is not ignored.
func TestHostileConfigMessages(t *testing.T) {
	tree, _ := hostileFleet(t)
	for yaml, want := range map[string]string{
		"disable: 5\n":        ".nixbuild-lint.yaml:1: disable must be a list of rule names or codes, not the number 5",
		"severity: [a]\n":     ".nixbuild-lint.yaml:1: severity must map rule names to levels (error, warning or info), not a list",
		"- disable\n":         ".nixbuild-lint.yaml:1: the configuration must be a mapping of settings (fail-level, disable, severity), not a list",
		"fail-level: [x]\n":   ".nixbuild-lint.yaml:1: fail-level must be one level (error, warning or info), not a list",
		"disable:\n  - [x]\n": ".nixbuild-lint.yaml:2: disable must be a list of rule names or codes; this entry is a list",
	} {
		writeFile(t, filepath.Join(tree, ".nixbuild-lint.yaml"), yaml)
		_, errOut, code := runCLI("--eval", "static", tree)
		if code != 2 || errOut != "nixbuild-lint: "+want+"\n" {
			t.Errorf("%q: got %d %q, want %q", yaml, code, errOut, want)
		}
	}
	writeFile(t, filepath.Join(tree, ".nixbuild-lint.yaml"), "disable:\n")
	if _, errOut, code := runCLI("--eval", "static", tree); code != 0 {
		t.Errorf("an empty disable: exit %d %q", code, errOut)
	}
	if err := os.Remove(filepath.Join(tree, ".nixbuild-lint.yaml")); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(tree, ".nixbuild-lint.yml"), "disable: [unclosed\n")
	_, errOut, code := runCLI("--eval", "static", tree)
	if code != 2 || !strings.HasPrefix(errOut, "nixbuild-lint: .nixbuild-lint.yml:1: ") {
		t.Errorf(".yml: got %d %q", code, errOut)
	}
	writeFile(t, filepath.Join(tree, ".nixbuild-lint.yaml"), "")
	_, errOut, code = runCLI("--eval", "static", tree)
	if code != 2 || errOut != "nixbuild-lint: .nixbuild-lint.yml: both .nixbuild-lint.yaml and .nixbuild-lint.yml are here; keep one\n" {
		t.Errorf("both: got %d %q", code, errOut)
	}
}
