package nixeval

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/nixbuild-lint/nixbuild-lint/nixeval/lang"
)

// TestUpdateUnknownRightParity: l // r where r cannot be listed (a condition
// the reader cannot decide, here builtins.getEnv) keeps the names of l that r
// cannot override, and each of them has the value real Nix gives whichever
// way the condition goes; the rest is unknown with the reason "the right side
// of // at file:line:col".
func TestUpdateUnknownRightParity(t *testing.T) {
	nix, vendor := nixAndRealLib(t)
	const cond = `(builtins.getEnv "LAB" == "1")`
	for _, c := range []struct {
		expr  string
		known []string
		at    string
	}{
		{`{ a = 1; b = 2; } // lib.optionalAttrs C { b = 3; c = 4; }`, []string{"a"}, "test.nix:1:22"},
		{`{ a = 1; b = { x = 1; }; } // (if C then { c = 2; } else { })`, []string{"a", "b"}, "test.nix:1:32"},
		{`lib.mergeAttrsList [ { a = 1; } (lib.optionalAttrs C { b = 1; }) { d = 5; } ]`, []string{"a", "d"}, ""},
		{`{ a = "k"; } // lib.optionalAttrs C { b = 1; } // { c = [ 1 ]; }`, []string{"a", "c"}, "test.nix:1:17"},
		{`let s = { a = 1; } // lib.optionalAttrs C { a = 2; }; in { inherit (s) a; } // { b = 1; }`, []string{"a", "b"}, ""},
	} {
		v, ev := evalText(t, strings.ReplaceAll(c.expr, "C", cond))
		a, ok := v.(*lang.Attrs)
		if !ok {
			t.Errorf("%s: %s, want a set", c.expr, show(ev, v))
			continue
		}
		var names []string
		why := ""
		if p, ok := a.Dyn.(lang.PartlyListed); ok {
			names, why = p.KnownNames()
		} else if ns, ok := a.Names(); ok {
			names = ns
		}
		if !slices.Equal(names, c.known) {
			t.Errorf("%s: known names %v, want %v", c.expr, names, c.known)
		}
		if c.at != "" && !strings.HasPrefix(why, "the right side of // at "+c.at+" (") {
			t.Errorf("%s: why %q, want the right side of // at %s", c.expr, why, c.at)
		}
		for _, b := range []string{"true", "false"} {
			for _, n := range c.known {
				at, _ := a.Get(n)
				v := ev.Force(at.T)
				expr := "let lib = import " + vendor + "/lib; s = " + strings.ReplaceAll(c.expr, "C", b) + "; in if s ? " + n + " then s." + n + " else \"(missing)\""
				out, err := exec.Command(nix, "--eval", "--strict", "--expr", expr).CombinedOutput()
				if err != nil {
					t.Fatalf("%s: nix: %v\n%s", expr, err, out)
				}
				want := strings.TrimSpace(string(out))
				if want == `"(missing)"` {
					t.Errorf("%s (C = %s): the reader knows %s, nix has no such attribute", c.expr, b, n)
				}
				if _, unknown := v.(*lang.Unknown); unknown {
					continue // its value depends on C
				}
				if got := show(ev, v); got != want {
					t.Errorf("%s (C = %s): %s is %s, nix %s", c.expr, b, n, got, want)
				}
			}
		}
	}
}

// TestPathStringParity: stringLength and substring copy a path into the
// store as Nix does and give the string's length and parts (the hash is not
// computed: a placeholder of the same length), not an unknown.
func TestPathStringParity(t *testing.T) {
	nix, err := exec.LookPath("nix-instantiate")
	if err != nil {
		t.Fatal("nix-instantiate not found: install nix-bin (scripts/test.sh does)")
	}
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "builder.nix"), []byte("{ }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{
		`builtins.stringLength ./builder.nix`,
		`builtins.substring 0 11 ./builder.nix`,
		`builtins.substring 44 100 ./builder.nix`,
		`builtins.stringLength { outPath = ./builder.nix; }`,
		`builtins.substring 1 3 { __toString = self: "abcd"; }`,
		`builtins.substring 43 1 "${./builder.nix}"`,
	} {
		v, ev := evalTextIn(t, root, c)
		got := show(ev, v)
		cmd := exec.Command(nix, "--eval", "--strict", "--expr", c)
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "NIX_PATH=")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: nix: %v\n%s", c, err, out)
		}
		if want := strings.TrimSpace(string(out)); got != want {
			t.Errorf("%s\n reader %s\n    nix %s", c, got, want)
		}
	}
}
