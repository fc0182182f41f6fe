// Package standin makes the stand-in nixpkgs flake the --eval nix tests
// and benchmarks evaluate with the real nix: testdata/nixpkgs-standin on
// the real nixpkgs lib from ../shared/vendor/nixpkgs-lib.
package standin

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Nixpkgs copies the stand-in into a temporary directory and returns it as
// a flake reference (path:…); top is the project's root, relative to the
// test's directory. Without the vendored lib the test is skipped, saying
// why.
func Nixpkgs(tb testing.TB, top string) string {
	tb.Helper()
	lib, err := filepath.Abs(filepath.Join(top, "..", "shared", "vendor", "nixpkgs-lib"))
	if err == nil {
		_, err = os.Stat(lib)
	}
	if err != nil {
		tb.Skip("the stand-in nixpkgs stands on the real nixpkgs lib in ../shared/vendor/nixpkgs-lib, absent here")
	}
	dir := tb.TempDir()
	for _, c := range [][2]string{{filepath.Join(top, "testdata", "nixpkgs-standin"), dir}, {lib, filepath.Join(dir, "nixpkgs-lib")}} {
		if out, err := exec.Command("cp", "-r", c[0]+"/.", c[1]).CombinedOutput(); err != nil {
			tb.Fatalf("copying %s: %v %s", c[0], err, out)
		}
	}
	ReadFileTypeShim(tb, filepath.Join(dir, "nixpkgs-lib"))
	return "path:" + dir
}

// ReadFileTypeShim makes the copy of nixpkgs' lib at dir run on Nix 2.8:
// its lib.filesystem.pathType (which lib.fileset calls) falls back to
// readDir of the parent when builtins.readFileType (Nix 2.14) is missing.
func ReadFileTypeShim(tb testing.TB, dir string) {
	tb.Helper()
	fsNix := filepath.Join(dir, "lib", "filesystem.nix")
	data, err := os.ReadFile(fsNix)
	if err != nil {
		tb.Fatal(err)
	}
	const orig = "pathType = builtins.readFileType;"
	if !strings.Contains(string(data), orig) {
		tb.Fatalf("%s no longer has %q", fsNix, orig)
	}
	shim := `pathType = builtins.readFileType or (p: if dirOf p == p then "directory" else (builtins.readDir (dirOf p)).${baseNameOf p});`
	if err := os.WriteFile(fsNix, []byte(strings.Replace(string(data), orig, shim, 1)), 0o644); err != nil {
		tb.Fatal(err)
	}
}

// Vendored copies the named projects of ../shared/vendor (real Nix code,
// unmodified) into one temporary directory, each under its own name, and
// returns that directory; top is the project's root, relative to the
// test's directory. Without one of them the test is skipped, saying
// which.
func Vendored(tb testing.TB, top string, names ...string) string {
	tb.Helper()
	vendor, err := filepath.Abs(filepath.Join(top, "..", "shared", "vendor"))
	if err != nil {
		tb.Fatal(err)
	}
	dir := tb.TempDir()
	for _, n := range names {
		if _, err := os.Stat(filepath.Join(vendor, n)); err != nil {
			tb.Skip("needs the real " + n + " in ../shared/vendor, absent here")
		}
		if out, err := exec.Command("cp", "-r", filepath.Join(vendor, n), filepath.Join(dir, n)).CombinedOutput(); err != nil {
			tb.Fatalf("copying %s: %v %s", n, err, out)
		}
	}
	return dir
}

// ImportTree copies the vendored import-tree (vic/import-tree) into a
// temporary directory, made to run on Nix 2.8: its isDirectory falls back
// to readDir of the parent where builtins.readFileType (Nix 2.14) is
// missing; it returns the copy as a flake reference (path:…). Without the
// vendored copy the test is skipped.
func ImportTree(tb testing.TB, top string) string {
	tb.Helper()
	dir := Vendored(tb, top, "import-tree")
	p := filepath.Join(dir, "import-tree", "default.nix")
	data, err := os.ReadFile(p)
	if err != nil {
		tb.Fatal(err)
	}
	const orig = `builtins.readFileType x == "directory"`
	if !strings.Contains(string(data), orig) {
		tb.Fatalf("%s no longer has %q", p, orig)
	}
	shim := `(builtins.readFileType or (p: if dirOf p == p then "directory" else (builtins.readDir (dirOf p)).${baseNameOf p})) x == "directory"`
	if err := os.Chmod(p, 0o644); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(strings.Replace(string(data), orig, shim, 1)), 0o644); err != nil {
		tb.Fatal(err)
	}
	return "path:" + filepath.Join(dir, "import-tree")
}
