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
	// Small forms of the hostile inputs of issue 22: chains that were
	// quadratic to parse, nesting deeper than Nix parses, garbled syntax
	// messages, doubling values that ran out of memory, a failing module.
	for _, s := range []string{
		"1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1",
		"- - - - - - - - 1",
		"--------1",
		"1+1+1+1+1+1",
		"!!!!!!!!!!true",
		"{ } // { } // { } // { }",
		"let x = let x = let x = 1; in x; in x; in x",
		"x: y: z: if x then if y then z else 1 else 2",
		"{ networking.hostName = ''b;\n}",
		"(((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((1)))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))",
		"{ a = \"${\"${\"${x}\"}\"; }",
		`let a1 = a0 + a0; a2 = a1 + a1; a3 = a2 + a2; a0 = "x"; in { networking.hostName = a3; }`,
		`let a1 = a0 ++ a0; a2 = a1 ++ a1; a0 = [ "x" ]; in { nix.settings.trusted-users = a2; }`,
		`{ nix.settings.trusted-users = builtins.concatMap (i: builtins.genList (j: "u") 10) (builtins.genList (i: i) 10); }`,
		`{ nix.settings = builtins.fromTOML "a.a.a.a.a.a.b = 1"; }`,
		`{ networking.hostName = builtins.toJSON (let a0 = [ 1 ]; a1 = [ a0 a0 ]; in [ a1 a1 ]); }`,
		`throw "whole module"`,
		`{ config, ... }: assert false; { }`,
	} {
		f.Add([]byte(s))
	}
}
