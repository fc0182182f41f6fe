package nixeval

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nixbuild-lint/nixbuild-lint/internal/standin"
	"github.com/nixbuild-lint/nixbuild-lint/nixeval/lang"
)

// realLibFor28 is a copy of ../shared/vendor/nixpkgs-lib whose
// lib.filesystem.pathType falls back to readDir when builtins.readFileType
// is missing (Nix 2.8 lacks it; lib.fileset needs it).
func realLibFor28(t *testing.T) string {
	t.Helper()
	vendor, _ := filepath.Abs("../../shared/vendor/nixpkgs-lib")
	if _, err := os.Stat(vendor); err != nil {
		t.Skip("needs the real nixpkgs lib in ../shared/vendor, absent here")
	}
	dir := filepath.Join(t.TempDir(), "nixpkgs-lib")
	if out, err := exec.Command("cp", "-r", vendor, dir).CombinedOutput(); err != nil {
		t.Fatalf("%v %s", err, out)
	}
	standin.ReadFileTypeShim(t, dir)
	return dir
}

// filesetTree is a small tree for lib.fileset: hosts with a default.nix and
// hardware files, modules of several extensions, a dot file, a symlink, and
// names that sort differently by component and by string (a/… and a-c).
func filesetTree(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	for _, f := range []string{"hosts/a/default.nix", "hosts/a/hw.nix", "hosts/a-c.nix", "hosts/b.nix", "modules/x.nix", "modules/y.txt", "modules/.gitignore", "modules/deep/z.nix", "README.md"} {
		p := filepath.Join(root, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("{ }\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(filepath.Join(root, "empty", "dir"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("x.nix", filepath.Join(root, "modules", "link.nix")); err != nil {
		t.Fatal(err)
	}
	return root
}

// TestFilesetParity: the reader's lib.fileset gives what nixpkgs' real
// lib.fileset gives under nix-instantiate (its toList in the same order, the
// predicate of fileFilter called with name, type and hasExt).
func TestFilesetParity(t *testing.T) {
	nix, err := exec.LookPath("nix-instantiate")
	if err != nil {
		t.Fatal("nix-instantiate not found: install nix-bin (scripts/test.sh does)")
	}
	lib := realLibFor28(t)
	root := filesetTree(t)
	fs := "lib.fileset."
	for _, c := range []string{
		fs + `toList ./hosts`,
		fs + `toList (` + fs + `union ./hosts/b.nix ./modules)`,
		fs + `toList (` + fs + `unions [ ./README.md ./hosts/a ./modules/deep ])`,
		fs + `toList (` + fs + `intersection ./hosts (` + fs + `fileFilter (f: f.name == "default.nix") ./.))`,
		fs + `toList (` + fs + `difference ./. (` + fs + `unions [ ./hosts ./README.md ]))`,
		fs + `toList (` + fs + `fileFilter (f: f.hasExt "nix") ./modules)`,
		fs + `toList (` + fs + `fileFilter (f: f.hasExt "gitignore" || f.type == "symlink") ./modules)`,
		fs + `toList (` + fs + `fileFilter ({ name, ... }: name != "hw.nix") ./hosts/a/hw.nix)`,
		fs + `toList (` + fs + `maybeMissing ./secrets)`,
		fs + `toList (` + fs + `union (` + fs + `maybeMissing ./hosts/b.nix) ` + fs + `empty)`,
		fs + `toList ./empty`,
		fs + `toList (` + fs + `fromSource ./modules/deep)`,
		`map (p: builtins.baseNameOf p) (` + fs + `toList (` + fs + `fileFilter (f: f.type == "regular") ./hosts))`,
		`[ (` + fs + `isFileset ./hosts) (` + fs + `isFileset ./none) (` + fs + `isFileset "./hosts") (` + fs + `isFileset ` + fs + `empty) (` + fs + `isFileset (` + fs + `union ./hosts ./modules)) ]`,
		`(builtins.tryEval (` + fs + `toList ./missing)).success`,
		`map (m: import m) (` + fs + `toList (` + fs + `fileFilter (f: f.hasExt "nix") ./hosts))`,
	} {
		v, ev := evalTextIn(t, root, c)
		got := show(ev, v)
		cmd := exec.Command(nix, "--eval", "--strict", "--expr", "let lib = import "+lib+"/lib; in "+c)
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "NIX_PATH=")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: nix: %v\n%s", c, err, out)
		}
		if want := strings.Join(strings.Fields(string(out)), " "); strings.Join(strings.Fields(got), " ") != want {
			t.Errorf("%s\n reader %s\n    nix %s", c, got, want)
		}
	}
}

// TestFilesetUnknownWhy: what lib.fileset cannot give statically says why.
func TestFilesetUnknownWhy(t *testing.T) {
	root := filesetTree(t)
	for _, c := range []struct{ src, want string }{
		{`lib.fileset.toSource { root = ./.; fileset = ./hosts; }`, "lib.fileset.toSource (a store path of the files; the static reader copies nothing to the store)"},
		{`lib.fileset.toList (lib.fileset.gitTracked ./.)`, "lib.fileset.gitTracked (it fetches the repository with builtins.fetchGit, which the static reader does not run)"},
		{`lib.fileset.toList (lib.fileset.fileFilter (f: builtins.getEnv "X" == f.name) ./hosts)`, `lib.fileset.fileFilter: its predicate on hosts/a/default.nix: builtins.getEnv "X" (the environment of the evaluation; --impure reads it)`},
		{`lib.fileset.toList (lib.fileset.fromSource { _isLibCleanSourceWith = true; origSrc = ./.; filter = _: _: true; })`, "lib.fileset.fromSource of a lib.sources value"},
	} {
		v, _ := evalTextIn(t, root, c.src)
		u, ok := v.(*lang.Unknown)
		if !ok || !strings.HasPrefix(u.Why, c.want) {
			t.Errorf("%s: %#v, want unknown %q", c.src, v, c.want)
		}
	}
}
