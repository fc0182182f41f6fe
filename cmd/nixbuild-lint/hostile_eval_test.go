package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// Hostile inputs of issue 22 in reading and evaluation: the network under
// --eval auto (item 7), the evaluation's memory (item 13), and the weak
// spots of flag and module errors.

// hostileFleet writes the hostile report's base fleet (a lists b as a
// builder for aarch64-linux, which b does not emulate) with the files given
// replacing or adding to it.
func evalHostileFleet(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	base := map[string]string{
		"flake.nix": `{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  outputs = { self, nixpkgs, ... }: {
    nixosConfigurations.a = nixpkgs.lib.nixosSystem { system = "aarch64-linux"; modules = [ ./hosts/a.nix ]; };
    nixosConfigurations.b = nixpkgs.lib.nixosSystem { system = "x86_64-linux"; modules = [ ./hosts/b.nix ]; };
  };
}
`,
		"hosts/a.nix": `{ config, pkgs, ... }:
{
  networking.hostName = "a";
  nix.distributedBuilds = true;
  nix.buildMachines = [ { hostName = "b"; systems = [ "x86_64-linux" "aarch64-linux" ]; } ];
  system.stateVersion = "24.05";
}
`,
		"hosts/b.nix": `{ config, pkgs, ... }:
{
  networking.hostName = "b";
  services.openssh.enable = true;
  system.stateVersion = "24.05";
}
`,
	}
	for rel, content := range files {
		base[rel] = content
	}
	for rel, content := range base {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// tarpit is a loopback server that accepts connections and never answers;
// it counts the connections made to it.
func tarpit(t *testing.T) (string, *atomic.Int32) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var n atomic.Int32
	var held []net.Conn
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			n.Add(1)
			held = append(held, c)
		}
	}()
	t.Cleanup(func() {
		_ = l.Close()
		<-done
		for _, c := range held {
			_ = c.Close()
		}
	})
	return l.Addr().String(), &n
}

func needNix(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("nix"); err != nil {
		t.Fatal("nix not found (scripts/test.sh installs nix-bin)")
	}
}

func evalReason(t *testing.T, out string) (string, string) {
	t.Helper()
	var doc struct {
		Eval       string `json:"eval"`
		EvalReason string `json:"evalReason"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	return doc.Eval, doc.EvalReason
}

// TestHostileAutoUnlockedInputOffline: an input flake.lock does not lock
// is not fetched by the default --eval auto (Nix 2.8's --offline fetched
// it: a server that never answers held every run for 600 s). Nix is not
// run at all, and the reason says why.
func TestHostileAutoUnlockedInputOffline(t *testing.T) {
	needNix(t)
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	addr, conns := tarpit(t)
	dir := evalHostileFleet(t, map[string]string{"flake.nix": `{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.evil.url = "http://` + addr + `/input.tar.gz";
  outputs = { self, nixpkgs, ... }: {
    nixosConfigurations.a = nixpkgs.lib.nixosSystem { system = "aarch64-linux"; modules = [ ./hosts/a.nix ]; };
    nixosConfigurations.b = nixpkgs.lib.nixosSystem { system = "x86_64-linux"; modules = [ ./hosts/b.nix ]; };
  };
}
`})
	nixpkgs, _ := standIns(t)
	for _, args := range [][]string{
		{"--format", "json", dir},
		{"--format", "json", "--override-input", "nixpkgs=" + nixpkgs, dir},
	} {
		out, errOut, code := runCLI(args...)
		eval, why := evalReason(t, out)
		if code != 1 || eval != "static" || !strings.Contains(why, "--eval auto: nix not run, it would need the network (no flake.lock: Nix would fetch input ") {
			t.Errorf("%v: exit %d, eval %s, reason %q, stderr %q", args, code, eval, why, errOut)
		}
	}
	_, errOut, _ := runCLI("-v", dir)
	if !strings.Contains(errOut, "nixbuild-lint: read statically (--eval auto: nix not run, it would need the network (no flake.lock: Nix would fetch input evil to lock it))") {
		t.Errorf("-v does not say why: %q", errOut)
	}
	if n := conns.Load(); n != 0 {
		t.Errorf("%d connections to the never-answering server", n)
	}
}

// TestHostileAutoLockedInputNotInStore: locked, but its source is not in
// the store: Nix would download it, so it is not run.
func TestHostileAutoLockedInputNotInStore(t *testing.T) {
	needNix(t)
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	addr, conns := tarpit(t)
	lock := `{
  "nodes": {
    "evil": {
      "locked": { "narHash": "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", "type": "tarball", "url": "http://` + addr + `/input.tar.gz" },
      "original": { "type": "tarball", "url": "http://` + addr + `/input.tar.gz" }
    },
    "root": { "inputs": { "evil": "evil" } }
  },
  "root": "root",
  "version": 7
}
`
	dir := evalHostileFleet(t, map[string]string{"flake.lock": lock, "flake.nix": `{
  inputs.evil.url = "http://` + addr + `/input.tar.gz";
  outputs = { self, nixpkgs, evil, ... }: {
    nixosConfigurations.b = nixpkgs.lib.nixosSystem { system = "x86_64-linux"; modules = [ ./hosts/b.nix ]; };
  };
}
`})
	nixpkgs, _ := standIns(t)
	out, _, _ := runCLI("--format", "json", "--override-input", "nixpkgs="+nixpkgs, dir)
	if eval, why := evalReason(t, out); eval != "static" || !strings.Contains(why, "(input evil (http://"+addr+"/input.tar.gz) is not in the Nix store)") {
		t.Errorf("eval %s, reason %q", eval, why)
	}
	// An override that is not a local directory would be fetched too.
	out, _, _ = runCLI("--format", "json", "--override-input", "nixpkgs=github:NixOS/nixpkgs", "--override-input", "evil="+nixpkgs, dir)
	if eval, why := evalReason(t, out); eval != "static" || !strings.Contains(why, "(--override-input nixpkgs github:NixOS/nixpkgs would be fetched)") {
		t.Errorf("eval %s, reason %q", eval, why)
	}
	if n := conns.Load(); n != 0 {
		t.Errorf("%d connections to the never-answering server", n)
	}
}

// TestHostileAutoFetchDuringEvaluation: what only evaluation reaches (a
// fixed-output fetchurl in a module) meets a server that never answers:
// under --eval auto Nix makes one attempt and gives up on a stalled
// download after seconds (not 300 s, five times), the host is
// host-unreadable with Nix's reason, and the other host is checked.
func TestHostileAutoFetchDuringEvaluation(t *testing.T) {
	needNix(t)
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	addr, conns := tarpit(t)
	dir := evalHostileFleet(t, map[string]string{"hosts/b.nix": `{ config, pkgs, ... }:
{
  networking.hostName = "b";
  services.openssh.enable = true;
  networking.domain = builtins.readFile (builtins.fetchurl { url = "http://` + addr + `/domain"; sha256 = "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="; });
  system.stateVersion = "24.05";
}
`})
	nixpkgs, _ := standIns(t)
	out, errOut, code := runCLI("--color", "never", "--override-input", "nixpkgs="+nixpkgs, dir)
	if code != 1 || !strings.Contains(out, "host b cannot be read: Nix cannot evaluate it: unable to download 'http://"+addr+"/domain'") ||
		!strings.Contains(out, "host a builds remotely without builders-use-substitutes") || !strings.Contains(out, "(read with nix)") {
		t.Errorf("exit %d, stderr %q\n%s", code, errOut, out)
	}
	// One attempt per nix eval: the batched one and host b's own.
	if n := conns.Load(); n == 0 || n > 2 {
		t.Errorf("%d connections to the never-answering server, want 1 or 2", n)
	}
}

// TestHostileAutoProbeBounded: the whole of --eval auto's try of Nix is
// bounded (by a minute, or --eval-timeout); past it the fleet is read
// statically, and stderr and the reason say so. Here an evaluation of
// 2^40 calls against a bound of 2 s.
func TestHostileAutoProbeBounded(t *testing.T) {
	needNix(t)
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	dir := evalHostileFleet(t, map[string]string{"hosts/b.nix": `{ config, pkgs, ... }:
{
  networking.hostName = "b";
  services.openssh.enable = true;
  nix.settings.max-jobs = let f = n: if n == 0 then 1 else f (n - 1) + f (n - 1); in f 40;
  system.stateVersion = "24.05";
}
`})
	nixpkgs, _ := standIns(t)
	out, errOut, code := runCLI("--format", "json", "--eval-timeout", "2s", "--override-input", "nixpkgs="+nixpkgs, dir)
	eval, why := evalReason(t, out)
	if code != 1 || eval != "static" || why != "--eval auto: nix could not evaluate the flake offline (nix did not finish within 2s)" {
		t.Errorf("exit %d, eval %s, reason %q", code, eval, why)
	}
	if errOut != "nixbuild-lint: --eval auto: nix did not finish within 2s; reading statically (--eval nix waits up to --eval-timeout)\n" {
		t.Errorf("stderr %q", errOut)
	}
}

// TestHostileMachinesBounded: `machines` reads its input as it goes and
// checks at most 10,000 entries: a 100 MB machines file and a million
// ";"-separated entries on one line ended in "fatal error: out of memory"
// (over 2.5 GB); an entry of a megabyte is refused alone.
func TestHostileMachinesBounded(t *testing.T) {
	dir := t.TempDir()
	entry := "ssh-ng://nixremote@ritchie x86_64-linux,aarch64-linux /root/.ssh/nixremote 4 2 big-parallel,benchmark - -\n"
	big := filepath.Join(dir, "big100")
	writeRepeated(t, big, entry, 100<<20/len(entry))
	semis := filepath.Join(dir, "semis")
	writeRepeated(t, semis, "ritchie x86_64-linux;", 1000000)
	long := filepath.Join(dir, "long")
	if err := os.WriteFile(long, []byte("ritchie x86_64-linux\nssh://b"+strings.Repeat("x", 1<<20)+" x86_64-linux\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct{ file, want string }{
		{big, "big100:10001:1: more than 10000 build machines: the rest of the file is not checked"},
		{semis, "semis:1:210001: more than 10000 build machines: the rest of the file is not checked"},
		{long, "long:2:1: an entry of 1048596 bytes, longer than Nix's entries ever are (65536): not read"},
	}
	for _, c := range cases {
		out, errOut, code := runCLI("machines", "--format", "json", c.file)
		var doc struct {
			Findings []struct {
				File    string `json:"file"`
				Line    int    `json:"line"`
				Column  int    `json:"column"`
				Rule    string `json:"rule"`
				Message string `json:"message"`
			} `json:"findings"`
		}
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatalf("%s: exit %d, %v %s", c.file, code, err, errOut)
		}
		found := false
		for _, f := range doc.Findings {
			if f.Rule == "machines-file-syntax" && fmt.Sprintf("%s:%d:%d: %s", f.File, f.Line, f.Column, f.Message) == c.want {
				found = true
			}
		}
		if code != 1 || !found {
			t.Errorf("%s: exit %d, no finding %q among %d", c.file, code, c.want, len(doc.Findings))
		}
	}
	// Text: one line per finding, the same bound.
	out, _, code := runCLI("machines", "--color", "never", big)
	if code != 1 || !strings.Contains(out, "big100:10001:1: more than 10000 build machines: the rest of the file is not checked (machines-file-syntax)") {
		t.Errorf("text: exit %d, %.300s", code, out)
	}
}

func writeRepeated(t *testing.T, path, unit string, n int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	for i := 0; i < n; i++ {
		_, _ = w.WriteString(unit)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestHostileDeepAndFlatFiles: a 400 KB `1 + 1 + …` file imported by
// nothing (every .nix file is parsed ahead) no longer holds the run for
// over a minute; a nesting Nix refuses is one syntax error, exit 2.
func TestHostileDeepAndFlatFiles(t *testing.T) {
	dir := evalHostileFleet(t, map[string]string{"hosts/junk.nix": strings.Repeat("1 + ", 100000) + "1\n"})
	out, errOut, code := runCLI("--eval", "static", "--color", "never", dir)
	if code != 1 || !strings.Contains(out, "unsupported-system") || errOut != "" {
		t.Errorf("unimported flat file: exit %d, stderr %q", code, errOut)
	}
	for name, expr := range map[string]string{
		"1M minus signs":          strings.Repeat("- ", 1000000) + "1",
		"1M minus signs unspaced": strings.Repeat("-", 1000000) + "1",
		"1M negations":            strings.Repeat("!", 1000000) + "true",
		"100k updates":            strings.Repeat("{ } // ", 100000) + "{ }",
		"10k nested lets":         strings.Repeat("let x = ", 10000) + "1" + strings.Repeat("; in x", 10000),
		"10k nested parens":       strings.Repeat("(", 10000) + "1" + strings.Repeat(")", 10000),
	} {
		dir := evalHostileFleet(t, map[string]string{"hosts/b.nix": "{ config, pkgs, ... }:\n{\n  networking.hostName = \"b\";\n  services.openssh.enable = true;\n  nix.settings.max-jobs = " + expr + ";\n}\n"})
		out, errOut, code := runCLI("--eval", "static", dir)
		if code != 2 || out != "" || !strings.HasPrefix(errOut, "nixbuild-lint: hosts/b.nix:5: syntax error: nested too deeply (") || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%s: exit %d, stderr %q", name, code, errOut)
		}
	}
}

// TestHostileEvaluationMemory: a 2 KB module that doubles a string sixty
// times (2^60 bytes) or squares a concatMap ended in "fatal error: out of
// memory"; now host b is host-unreadable at the line, exit 1, and host a
// is still checked.
func TestHostileEvaluationMemory(t *testing.T) {
	var chain strings.Builder
	for i := 1; i <= 60; i++ {
		fmt.Fprintf(&chain, "a%d = a%d + a%d; ", i, i-1, i-1)
	}
	for name, line := range map[string]string{
		"string doubling":  `networking.hostName = let ` + chain.String() + `a0 = "x"; in a60;`,
		"concatMap square": `nix.settings.trusted-users = builtins.concatMap (i: builtins.genList (j: "u") 100000) (builtins.genList (i: i) 100000);`,
	} {
		dir := evalHostileFleet(t, map[string]string{"hosts/b.nix": "{ config, pkgs, ... }:\n{\n  services.openssh.enable = true;\n  " + line + "\n  system.stateVersion = \"24.05\";\n}\n"})
		out, _, code := runCLI("--eval", "static", "--color", "never", dir)
		if code != 1 || !strings.Contains(out, "hosts/b.nix:4:1: host b cannot be read: evaluation used more than 512 MB (strings, lists and attribute sets it built); nothing is checked on it (host-unreadable)") ||
			!strings.Contains(out, "host a builds remotely without builders-use-substitutes") {
			t.Errorf("%s: exit %d\n%s", name, code, out)
		}
	}
}

// TestHostileFailingModule: a module that is a throw, an abort, a failed
// assert or its own value stops its host as Nix does (host-unreadable, exit 1), instead of
// being a module not read (findings at info, exit 0).
func TestHostileFailingModule(t *testing.T) {
	for module, want := range map[string]string{
		`throw "whole module"`:                "hosts/b.nix:1:1: host b cannot be read: the module fails: throw: whole module; nothing is checked on it (host-unreadable)",
		`abort "no"`:                          "hosts/b.nix:1:1: host b cannot be read: the module fails: abort: no; nothing is checked on it (host-unreadable)",
		"{ config, ... }:\nassert false; { }": "hosts/b.nix:2:1: host b cannot be read: the module fails: assertion failed; nothing is checked on it (host-unreadable)",
		"let x = x; in x":                     "hosts/b.nix:1:1: host b cannot be read: the module fails: infinite recursion; nothing is checked on it (host-unreadable)",
		"import ./b.nix":                      "hosts/b.nix:1:1: host b cannot be read: the module fails: infinite recursion; nothing is checked on it (host-unreadable)",
	} {
		dir := evalHostileFleet(t, map[string]string{"hosts/b.nix": module + "\n"})
		out, _, code := runCLI("--eval", "static", "--color", "never", dir)
		if code != 1 || !strings.Contains(out, want) {
			t.Errorf("%q: exit %d, want %s\n%s", module, code, want, out)
		}
	}
}

// TestHostileFlagValues: --host and the numeric flags are validated before
// anything is read or written: one line, exit 2.
func TestHostileFlagValues(t *testing.T) {
	dir := evalHostileFleet(t, map[string]string{"hosts/a,b.nix": "{ networking.hostName = \"ab\"; }\n", "p.nix": "1 + 1\n"})
	a, b := filepath.Join(dir, "hosts/a.nix"), filepath.Join(dir, "hosts/b.nix")
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--host", "a@bogus=" + a}, `--host "a@bogus=` + a + `": "bogus" is not a system Nix knows`},
		{[]string{"--host", "a@=" + a}, `"" is not a system Nix knows`},
		{[]string{"--host", "a@x86_64-linux@y=" + a}, `"x86_64-linux@y" is not a system Nix knows`},
		{[]string{"--host", "a b=" + a}, `the NAME must be letters, digits and _ - . '`},
		{[]string{"--host", "\x1b[2J=" + a}, `the NAME must be letters`},
		{[]string{"--host", "a=" + a, "--host", "a=" + b}, "--host a is given twice"},
		{[]string{"--host", "a=" + a + "\nb=" + b}, `the PATH holds a control character`},
		{[]string{"--host", "b@x86_64-linux=" + filepath.Join(dir, "p.nix")}, "p.nix:1: a module must be a path, a function or an attribute set, not an integer"},
		{[]string{"--fix", "--verify", "--timeout", "-1s", dir}, "--timeout must be a positive duration such as 30s or 5m, not -1s"},
		{[]string{"--eval-timeout", "0s", dir}, "--eval-timeout must be a positive duration"},
		{[]string{"--jobs", "-5", dir}, "--jobs must be between 1 and 1024, not -5"},
		{[]string{"--jobs", "100000000", dir}, "--jobs must be between 1 and 1024, not 100000000"},
		{[]string{"verify", "--timeout", "0s", dir}, "--timeout must be a positive duration"},
	}
	before := snapshot(t, dir)
	for _, c := range cases {
		args := append([]string{"--eval", "static"}, c.args...)
		if c.args[0] == "verify" {
			args = c.args
		}
		out, errOut, code := runCLI(args...)
		if code != 2 || out != "" || !strings.Contains(errOut, c.want) || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%q: exit %d, stdout %q, stderr %q, want %q", c.args, code, out, errOut, c.want)
		}
	}
	if after := snapshot(t, dir); !equalMaps(before, after) {
		t.Error("files changed")
	}
	// A path with a comma is one path.
	out, errOut, code := runCLI("--eval", "static", "--format", "json", "--host", "a@aarch64-linux="+filepath.Join(dir, "hosts/a,b.nix"))
	if code != 0 || !strings.Contains(out, `"findings": []`) {
		t.Errorf("comma path: exit %d %q %s", code, errOut, out)
	}
}

// TestHostileAutoLockedInputInStore: offline is not never: an input locked
// in flake.lock whose source is in the store (here a tarball from a local
// file, locked with nix flake lock) is evaluated by Nix under --eval auto,
// restricted mode and all.
func TestHostileAutoLockedInputInStore(t *testing.T) {
	needNix(t)
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	nixpkgs, _ := standIns(t)
	tarball := filepath.Join(t.TempDir(), "nixpkgs.tar.gz")
	if out, err := exec.Command("tar", "czf", tarball, "-C", filepath.Dir(strings.TrimPrefix(nixpkgs, "path:")), filepath.Base(nixpkgs)).CombinedOutput(); err != nil {
		t.Fatalf("tar: %v %s", err, out)
	}
	dir := evalHostileFleet(t, map[string]string{"flake.nix": strings.Replace(`{
  inputs.nixpkgs.url = "file://TARBALL";
  outputs = { self, nixpkgs, ... }: {
    nixosConfigurations.a = nixpkgs.lib.nixosSystem { system = "aarch64-linux"; modules = [ ./hosts/a.nix ]; };
    nixosConfigurations.b = nixpkgs.lib.nixosSystem { system = "x86_64-linux"; modules = [ ./hosts/b.nix ]; };
  };
}
`, "TARBALL", tarball, 1)})
	cmd := exec.Command("nix", "--extra-experimental-features", "nix-command flakes", "flake", "lock")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("nix flake lock: %v %s", err, out)
	}
	out, errOut, code := runCLI("--format", "json", dir)
	if eval, why := evalReason(t, out); code != 1 || eval != "nix" || why != "--eval auto: nix is on PATH and the flake evaluates offline" {
		t.Errorf("exit %d, eval %s, reason %q, stderr %q", code, eval, why, errOut)
	}
}
