package nixeval_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/nixbuild-lint/nixbuild-lint/internal/fleetgen"
	"github.com/nixbuild-lint/nixbuild-lint/model"
	"github.com/nixbuild-lint/nixbuild-lint/nixeval"
	"github.com/nixbuild-lint/nixbuild-lint/nixeval/lang"
)

// The memory half of the evaluation budget (issue 22, item 13): doubling
// strings or lists, a concatMap square, toJSON of a shared structure end
// the host's read with the file and line where the memory ran out, instead
// of "fatal error: out of memory".

// twoHosts is the hostile report's base fleet with host b's module given.
func twoHosts(t *testing.T, bModule string) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
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
		"hosts/b.nix": bModule,
	}
	for rel, content := range files {
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

// chain is `let a1 = step a0; a2 = step a1; … a0 = first; in aN`.
func chain(n int, first string, step func(prev string) string) string {
	var b strings.Builder
	b.WriteString("let ")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "a%d = %s; ", i, step(fmt.Sprintf("a%d", i-1)))
	}
	fmt.Fprintf(&b, "a0 = %s; in a%d", first, n)
	return b.String()
}

func hostB(f *model.Fleet) *model.Host {
	for _, h := range f.Hosts {
		if h.Name == "b" {
			return h
		}
	}
	return nil
}

func TestHostileMemoryBudget(t *testing.T) {
	defer func(old int64) { lang.DefaultMemBudget = old }(lang.DefaultMemBudget)
	lang.DefaultMemBudget = 64 << 20
	twice := func(op string) func(string) string {
		return func(p string) string { return p + " " + op + " " + p }
	}
	cases := []struct{ name, line string }{
		{"string doubling", "networking.hostName = " + chain(60, `"x"`, twice("+")) + ";"},
		{"interpolation doubling", "networking.hostName = " + chain(60, `"x"`, func(p string) string { return `"${` + p + `}${` + p + `}"` }) + ";"},
		{"list doubling", "nix.settings.trusted-users = " + chain(40, `[ "x" ]`, twice("++")) + ";"},
		{"concatMap square", `nix.settings.trusted-users = builtins.concatMap (i: builtins.genList (j: "u") 100000) (builtins.genList (i: i) 100000);`},
		{"toJSON of a shared list", "networking.hostName = builtins.toJSON (" + chain(40, "[ 1 ]", func(p string) string { return "[ " + p + " " + p + " ]" }) + ");"},
		{"concatStringsSep of a shared list", `networking.hostName = builtins.concatStringsSep "," (` + chain(40, `[ "xxxxxxxx" ]`, twice("++")) + ");"},
		{"replaceStrings growth", `networking.hostName = ` + chain(10, `"x"`, func(p string) string { return `builtins.replaceStrings [ "x" ] [ "xxxxxxxxxxxxxxxx" ] ` + p }) + ";"},
		{"map over a shared list", "nix.settings.trusted-users = let l = builtins.genList (i: i) 100000; in builtins.concatLists (builtins.genList (i: map (x: x) l) 100000);"},
		{"attribute sets from a shared list", `nix.settings.trusted-users = builtins.attrNames (let l = builtins.genList (i: { name = toString i; value = { text = "x"; }; }) 100000; in builtins.foldl' (acc: i: acc // builtins.listToAttrs l) { } (builtins.genList (i: i) 100000));`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			line := c.line
			dir := twoHosts(t, "{ config, pkgs, ... }:\n{\n  services.openssh.enable = true;\n  "+line+"\n  system.stateVersion = \"24.05\";\n}\n")
			f, err := nixeval.NewReader(dir).Read(dir, nil)
			if err != nil {
				t.Fatal(err)
			}
			b := hostB(f)
			if b == nil || b.NotRead == nil || !b.NotRead.Broken {
				t.Fatalf("host b was read: %+v", b)
			}
			if want := "evaluation used more than 64 MB"; !strings.Contains(b.NotRead.Why, want) || b.NotRead.At.File != "hosts/b.nix" || b.NotRead.At.Line < 4 {
				t.Errorf("got %s:%d: %s, want hosts/b.nix:4 or later: %s", b.NotRead.At.File, b.NotRead.At.Line, b.NotRead.Why, want)
			}
		})
	}
}

// TestHostileMemoryRealFleets: the fixtures and a generated fleet of 1,000
// hosts stay far below the default memory budget, so it never stops a real
// fleet.
func TestHostileMemoryRealFleets(t *testing.T) {
	const configs = "../testdata/configs"
	ents, err := os.ReadDir(configs)
	if err != nil {
		t.Fatal(err)
	}
	var dirs []string
	for _, e := range ents {
		if e.IsDir() {
			dirs = append(dirs, filepath.Join(configs, e.Name()))
		}
	}
	gen := t.TempDir()
	if _, err := fleetgen.Write(gen, 1000); err != nil {
		t.Fatal(err)
	}
	dirs = append(dirs, gen)
	most, where := int64(0), ""
	for _, dir := range dirs {
		r := nixeval.NewReader(dir)
		if _, err := r.Read(dir, nil); err != nil {
			continue // fixtures of bad input
		}
		if used := r.MemoryUsed(); used > most {
			most, where = used, dir
		}
	}
	t.Logf("most memory charged: %d MB (%s)", most>>20, where)
	if most > lang.DefaultMemBudget/8 {
		t.Errorf("%s was charged %d MB, more than an eighth of the budget (%d MB)", where, most>>20, lang.DefaultMemBudget>>20)
	}
}

// TestHostileUndefinedConfigString: a string of config values no module
// read defines (`"${config.users.users.root.home}"`) asked the reader's
// config node for __toString, got another node, called it through its
// __functor, and so on to the depth limit, each path a name longer: 17 of
// them took 370 MB, and home-manager read from the store made
// jopejoe1/nix-conf take 75 s and 5 GB. Such a node is no function and no
// string: the value is unknown at once, and the host is read.
func TestHostileUndefinedConfigString(t *testing.T) {
	var refs strings.Builder
	for i := range 40 {
		fmt.Fprintf(&refs, ` "${config.users.users.u%d.home}/x"`, i)
	}
	dir := twoHosts(t, "{ config, pkgs, ... }:\n{\n  services.openssh.enable = true;\n  networking.hostName = \"${config.users.users.root.home}\";\n  nix.settings.trusted-users = ["+refs.String()+" ];\n  system.stateVersion = \"24.05\";\n}\n")
	r := nixeval.NewReader(dir)
	f, err := r.Read(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	b := hostB(f)
	if b == nil || b.NotRead != nil || !b.SSHD.Enable.V || !b.HostName.Unknown {
		t.Fatalf("host b: %+v", b)
	}
	if used := r.MemoryUsed(); used > 4<<20 {
		t.Errorf("charged %d MB for 41 strings of undefined config values", used>>20)
	}
}

// TestHostileConfigDepth: the work of the reader's module system itself
// (each config path it keeps, each module it looks through for an option)
// counts against the evaluation budget, not only the steps of Nix code: a
// fold asking config.a.a.a… a name deeper each time (quadratic work in
// the module system, linear in Nix steps) ends in the budget's note.
func TestHostileConfigDepth(t *testing.T) {
	defer func(old int) { lang.DefaultBudget = old }(lang.DefaultBudget)
	lang.DefaultBudget = 2_000_000
	dir := twoHosts(t, "{ config, pkgs, ... }:\n{\n  services.openssh.enable = true;\n  networking.hostName = (builtins.foldl' (x: _: x.a) config (builtins.genList (i: i) 3000)).name;\n  system.stateVersion = \"24.05\";\n}\n")
	f, err := nixeval.NewReader(dir).Read(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := "evaluation budget exceeded (2 million steps for the whole fleet): some values are unknown"
	if !slices.Contains(f.Notes, want) {
		t.Errorf("notes %q, want %q", f.Notes, want)
	}
}
