// Package fuzzseed gives the fuzz targets their seed corpus: every .nix
// file below the roots given, and a few inputs that once broke a reader.
package fuzzseed

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Add adds the seeds to f.
func Add(f *testing.F, roots ...string) {
	f.Helper()
	for _, root := range roots {
		_ = filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
			if err == nil && strings.HasSuffix(p, ".nix") {
				if data, err := os.ReadFile(p); err == nil {
					f.Add(data)
				}
			}
			return nil
		})
	}
	// Modules that reach for files outside the tree, through the paths
	// the evaluator builds (issue 22): each must be refused, never read.
	for _, s := range []string{
		`{ x = builtins.readFile "${./.}/../../secret"; }`,
		`{ x = builtins.readFile ("${./.}" + "/../../../etc/passwd"); }`,
		`{ imports = [ (./. + "/../../x.nix") /etc/nixos/configuration.nix ]; }`,
		`{ x = builtins.attrNames (builtins.readDir /.); y = builtins.pathExists /etc/shadow; }`,
		`{ x = builtins.fromJSON (builtins.readFile /proc/self/environ); }`,
	} {
		f.Add([]byte(s))
	}
	for _, s := range []string{"", "{", "rec { a = a; }", "let x = x; in x", "[[[[[[[[[[]]]]]]]]]]", "./a/${b}/${c}", "a |> b <| c", "''${", "\"\\", "{ a.b.c.d = 1; a = 2; }"} {
		f.Add([]byte(s))
	}
}
