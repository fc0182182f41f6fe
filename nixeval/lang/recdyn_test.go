package lang

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// nixSays is what the real nix-instantiate --eval --strict prints for
// expr, or "error".
func nixSays(t *testing.T, expr string) string {
	t.Helper()
	nix, err := exec.LookPath("nix-instantiate")
	if err != nil {
		t.Fatal("nix-instantiate not found: install nix-bin (scripts/test.sh does)")
	}
	cmd := exec.Command(nix, "--eval", "--strict", "--expr", expr)
	cmd.Env = append(os.Environ(), "NIX_PATH=")
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "error"
	}
	return strings.TrimSpace(string(out))
}

// TestRecDynamicNames: in a rec set, a dynamic name of a nested path
// (s.${d}) is computed in the set's own scope, as Nix does (before, the
// reader resolved d outside the set: "undefined variable 'd'", a syntax
// error that made a real fleet's host unreadable). A non-rec set still
// does not see its own names. Each case against the real nix-instantiate.
func TestRecDynamicNames(t *testing.T) {
	for _, c := range []struct{ expr, want string }{
		{`(rec { d = "x"; s.${d} = 1; t = s.x; }).t`, "1"},
		{`let v = rec { d = "x"; s.${d} = "a"; n = s.x; }; in v.n`, `"a"`},
		{`(rec { d = "x"; s.${d}.${d + "y"} = 2; }).s.x.xy`, "2"},
		{`let d = "out"; in (rec { d = "in"; s.${d} = 3; }).s."in"`, "3"},
		{`{ d = "x"; s.${d} = 1; }`, "error"},
	} {
		got := "error"
		if e, perr := ParseSource(NewSource("/x/t.nix", "t.nix", []byte(c.expr))); perr == nil {
			ev := NewEvaluator(nil)
			got = showLazy(ev, ev.Eval(e, ev.Root))
		}
		want := nixSays(t, c.expr)
		if want != c.want {
			t.Errorf("%s: nix says %s, the case %s", c.expr, want, c.want)
		}
		if got != want {
			t.Errorf("%s\n reader %s\n    nix %s", c.expr, got, want)
		}
	}
}
