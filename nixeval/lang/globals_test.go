package lang

import "testing"

// TestGlobalBuiltins: the builtins Nix binds without "builtins." (fromTOML,
// fetchTree, fetchGit, …) and the __name form of the others (__add,
// __attrNames) evaluate as they do in Nix; a __name Nix does not bind
// (__map: map is bound by its own name) is undefined, as in Nix. Before,
// fromTOML parsed but was an undefined variable when evaluated, which made a
// real fleet's whole flake unreadable (plumj-am/nixos' .tack resolver reads
// its pins with fromTOML). Each case against the real nix-instantiate.
func TestGlobalBuiltins(t *testing.T) {
	cases := []struct{ expr, want string }{
		{`(fromTOML "a = 1\n[b]\nc = \"d\"").b.c`, `"d"`},
		{`builtins.typeOf fromTOML`, `"lambda"`},
		{`builtins.typeOf fetchTree`, `"lambda"`},
		{`builtins.typeOf fetchGit`, `"lambda"`},
		{`__add 1 2`, "3"},
		{`__attrNames { b = 1; a = 2; }`, `[ "a" "b" ]`},
		{`let fromTOML = _: 5; in fromTOML ""`, "5"},
		{`with { fromTOML = _: 5; }; builtins.typeOf (fromTOML "a = 1")`, `"set"`},
	}
	ev := NewEvaluator(nil)
	compareWithNix(t, ev, cases)
	// __map is no variable in Nix: the parser accepts every __name (as
	// Nix's does), evaluating it is undefined.
	if want := nixSays(t, `__map (x: x) [ 1 ]`); want != "error" {
		t.Errorf("nix evaluates __map: %s", want)
	}
	e, err := ParseSource(NewSource("/x/t.nix", "t.nix", []byte(`__map (x: x) [ 1 ]`)))
	if err == nil {
		if u, ok := ev.Eval(e, ev.Root).(*Unknown); !ok || u.Why != "undefined variable __map" {
			t.Errorf("__map: %#v, want undefined variable __map", ev.Eval(e, ev.Root))
		}
	}
}
