package lang

import (
	"strconv"
	"strings"
	"testing"
)

// TestLazyAttrs: s ? a and s ? a.b.c decide from the names of the sets on
// the path and never force the last value, as in Nix: a value that
// throws, aborts, fails an assertion, recurses or is still being computed
// (an attribute testing whether it exists itself, as lib's
// evalOptionValue does with opt ? apply when an option's apply reads its
// own option) still answers. Each case is checked against the real
// nix-instantiate --eval; the last ones, whose values only the reader
// cannot know, against what Nix answers for any value there.
func TestLazyAttrs(t *testing.T) {
	cases := []struct{ expr, want string }{
		{`{ a = throw "no"; } ? a`, "true"},
		{`{ a = abort "no"; } ? a`, "true"},
		{`{ a = assert false; 1; } ? a`, "true"},
		{`let s = { a = s.a; }; in s ? a`, "true"},
		{`{ a.b.c = throw "no"; } ? a.b.c`, "true"},
		{`{ a.b = throw "no"; } ? a.c`, "false"},
		{`{ a = 1; } ? a.b`, "false"},
		{`let s = { a = if s ? a then 1 else 2; }; in s.a`, "1"},
		{`let o = { apply = if o ? apply then (x: x) else (x: "inv"); }; in o.apply "v"`, `"v"`},
		{`let s = { a = { b = if s ? a.b then 1 else 2; }; }; in s.a.b`, "1"},
		{`{ a = let f = n: if n == 0 then 0 else f (n - 1); in f 1000000; } ? a`, "true"},
		{`builtins.attrNames (builtins.removeAttrs { a = throw "no"; b = 1; } [ "b" ])`, `[ "a" ]`},
	}
	ev := NewEvaluator(nil)
	ev.Budget = 200_000 // far less than the f 1000000 case would take
	compareWithNix(t, ev, cases)
	if ev.Exceeded() {
		t.Error("a ? forced the value it tests: the evaluation budget ran out")
	}
	// Values only the reader does not know (the environment, in pure
	// evaluation a stand-in's) do not change the answer either.
	for _, c := range []struct{ expr, want string }{
		{`{ a = builtins.getEnv "HOME"; } ? a`, "true"},
		{`{ a.b = builtins.getEnv "HOME"; } ? a.b`, "true"},
		{`{ a = builtins.getEnv "HOME"; } ? a.b`, "unknown"},
	} {
		e, err := ParseSource(NewSource("/x/t.nix", "t.nix", []byte(c.expr)))
		if err != nil {
			t.Fatal(err)
		}
		if got := showLazy(ev, ev.Eval(e, ev.Root)); got != c.want {
			t.Errorf("%s: %s, want %s", c.expr, got, c.want)
		}
	}
	// A value computed later that is a flake input's stand-in (inputs.x.y
	// of an input without source) exists; the stand-in's own attribute,
	// which every name seems to be, is not known to exist.
	forced := false
	s := NewAttrs()
	s.SetThunk("a", Lazy(func() Value { forced = true; return &Unknown{Why: "stand-in for flake input x.y"} }))
	s.Set("b", &Unknown{Why: "stand-in for flake input x.b"})
	e, err := ParseSource(NewSource("/x/t.nix", "t.nix", []byte(`s: [ (s ? a) (s ? b) (s ? c) ]`)))
	if err != nil {
		t.Fatal(err)
	}
	if got := showLazy(ev, ev.Call(ev.Eval(e, ev.Root), ValThunk(s), Span{})); got != "[ true unknown false ]" || forced {
		t.Errorf("stand-ins: %s (forced %v), want [ true unknown false ] without forcing a", got, forced)
	}
}

// compareWithNix evaluates each case's expression with the reader and with
// the real nix-instantiate --eval: the two must print the same, and Nix must
// print the case's want (when given), so a case cannot pass by a wrong want.
func compareWithNix(t *testing.T, ev *Evaluator, cases []struct{ expr, want string }) {
	t.Helper()
	for _, c := range cases {
		e, err := ParseSource(NewSource("/x/t.nix", "t.nix", []byte(c.expr)))
		if err != nil {
			t.Errorf("%s: %v", c.expr, err)
			continue
		}
		got := showLazy(ev, ev.Eval(e, ev.Root))
		want := nixSays(t, c.expr)
		if c.want != "" && want != c.want {
			t.Errorf("%s: nix says %s, the case %s", c.expr, want, c.want)
		}
		if got != want {
			t.Errorf("%s\n reader %s\n    nix %s", c.expr, got, want)
		}
	}
}

// showLazy prints the values TestLazyAttrs compares as
// nix-instantiate --eval --strict does ("error" for a thrown unknown).
func showLazy(ev *Evaluator, v Value) string {
	switch x := v.(type) {
	case Bool:
		if x.B {
			return "true"
		}
		return "false"
	case Int:
		return strconv.FormatInt(x.I, 10)
	case *Str:
		return nixString(x.S)
	case *List:
		parts := []string{"["}
		for _, e := range x.Elems {
			parts = append(parts, showLazy(ev, ev.Force(e)))
		}
		return strings.Join(append(parts, "]"), " ")
	case *Unknown:
		if x.Thrown || strings.Contains(x.Why, "recursion") {
			return "error"
		}
		return "unknown"
	}
	return "?"
}

// nixString is s as nix-instantiate --eval prints a string: quoted, with
// ", \, newline, return, tab and "${" escaped.
func nixString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c == '\t':
			b.WriteString(`\t`)
		case c == '$' && i+1 < len(s) && s[i+1] == '{':
			b.WriteString(`\$`)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// TestSetPlusPath: a set with an outPath plus a path is the outPath with
// the path appended as written (self + /modules/x.nix: the flake's own
// file), not a copy of the path into the store as after a string.
// Checked against the real nix-instantiate --eval.
func TestSetPlusPath(t *testing.T) {
	ev := NewEvaluator(nil)
	for _, expr := range []string{
		`let self = { outPath = "/x/fleet"; }; in self + /modules/x.nix`,
		`let self = { outPath = "/x/fleet"; }; in builtins.typeOf (self + /modules/x.nix)`,
		`let self = { outPath = "/x/fleet"; }; in self + "/modules/x.nix"`,
	} {
		e, err := ParseSource(NewSource("/x/t.nix", "t.nix", []byte(expr)))
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		if got, want := showLazy(ev, ev.Eval(e, ev.Root)), nixSays(t, expr); got != want {
			t.Errorf("%s\n reader %s\n    nix %s", expr, got, want)
		}
	}
}
