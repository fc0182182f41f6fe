package lang

import "testing"

// TestFindFile: <name> is __findFile __nixPath "name" when the scope binds
// __findFile (den's angle brackets), as nix-instantiate evaluates it; with
// builtins' own __findFile it stays a search path the reader does not read.
func TestFindFile(t *testing.T) {
	for _, c := range []struct{ expr, want string }{
		{`let __findFile = p: n: "found " + n; in <den/hostname>`, `"found den/hostname"`},
		{`let __findFile = p: n: p; __nixPath = [ "x" ]; in <a>`, `[ "x" ]`},
		{`let __findFile = p: n: p; in <a>`, `[ ]`},
		{`({ __findFile, ... }: <eg/autologin>) { __findFile = _: n: "arg " + n; }`, `"arg eg/autologin"`},
		{`let f = { __findFile = p: n: n; }; in with f; <b>`, "error"}, // a with-scope does not bind it (Nix 2.8)
	} {
		e, err := ParseSource(NewSource("/x/t.nix", "t.nix", []byte(c.expr)))
		if err != nil {
			t.Fatalf("%s: %v", c.expr, err)
		}
		ev := NewEvaluator(nil)
		got := showLazy(ev, ev.Eval(e, ev.Root))
		want := nixSays(t, c.expr)
		if want != c.want {
			t.Errorf("%s: nix says %s, the case %s", c.expr, want, c.want)
		}
		if want == "error" {
			want = "unknown"
		}
		if got != want {
			t.Errorf("%s\n reader %s\n    nix %s", c.expr, got, want)
		}
	}
}
