package nixeval

import (
	"strings"
	"testing"

	"github.com/nixbuild-lint/nixbuild-lint/nixeval/lang"
)

func evalText(t *testing.T, text string) (lang.Value, *lang.Evaluator) {
	t.Helper()
	return evalTextIn(t, t.TempDir(), text)
}

// evalTextIn evaluates text as a file of the tree at root.
func evalTextIn(t *testing.T, root, text string) (lang.Value, *lang.Evaluator) {
	t.Helper()
	r := NewReader(root)
	ev := lang.NewEvaluator(newSession(r, true))
	if err := loadLib(ev); err != nil {
		t.Fatal(err)
	}
	src := lang.NewSource(r.Root+"/test.nix", "test.nix", []byte(text))
	e, err := lang.ParseRange(src, 0, len(src.Data)) // lib is a free variable here
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	env := lang.NewEnv(ev.Root, map[string]*lang.Thunk{"lib": ev.Lib})
	return ev.Eval(e, env), ev
}

// show prints a value deeply, as nix-instantiate --eval --strict would.
func show(ev *lang.Evaluator, v lang.Value) string {
	switch x := v.(type) {
	case *lang.Str:
		return `"` + x.S + `"`
	case lang.Int:
		return strings.TrimSpace(strings.Repeat(" ", 0)) + itoa(x.I)
	case lang.Bool:
		if x.B {
			return "true"
		}
		return "false"
	case lang.Null:
		return "null"
	case *lang.Path:
		return x.P
	case *lang.List:
		parts := []string{}
		for _, e := range x.Elems {
			parts = append(parts, show(ev, ev.Force(e)))
		}
		return "[ " + strings.Join(parts, " ") + " ]"
	case *lang.Attrs:
		names, ok := x.Names()
		if !ok {
			return "<dynamic set>"
		}
		parts := []string{}
		for _, n := range names {
			at, _ := x.Get(n)
			parts = append(parts, n+" = "+show(ev, ev.Force(at.T))+";")
		}
		return "{ " + strings.Join(parts, " ") + " }"
	case *lang.Unknown:
		return "<unknown>"
	}
	return "<" + v.Kind() + ">"
}

func itoa(i int64) string {
	neg := i < 0
	if neg {
		i = -i
	}
	s := ""
	for {
		s = string(rune('0'+i%10)) + s
		i /= 10
		if i == 0 {
			break
		}
	}
	if neg {
		s = "-" + s
	}
	return s
}

func TestEvalSemantics(t *testing.T) {
	cases := []struct{ src, want string }{
		{`let a = 1; b = a + 1; in [ a b ]`, `[ 1 2 ]`},
		{`rec { a = 1; b = a + 1; }`, `{ a = 1; b = 2; }`},
		{`{ a.b = 1; a.c = 2; }`, `{ a = { b = 1; c = 2; }; }`},
		{`{ a = { b = 1; }; a.c = 2; }`, `{ a = { b = 1; c = 2; }; }`},
		{`let x = { y = 3; }; in with x; y`, `3`},
		{`let y = 1; x = { y = 3; }; in with x; y`, `1`},
		{`let s = { a = 1; b = 2; }; in { inherit (s) a; c = s.b; }`, `{ a = 1; c = 2; }`},
		{`({ a, b ? a + 1, ... }@args: [ a b args.c ]) { a = 1; c = 5; }`, `[ 1 2 5 ]`},
		{`let name = "pi"; in "host-${name}-${toString 3}"`, `"host-pi-3"`},
		{"''\n    a\n      b ${\"x\"}\n  ''", "\"a\n  b x\n\""},
		{`"a\tb\${c}"`, `"a` + "\t" + `b${c}"`},
		{`builtins.map (x: x * 2) [ 1 2 3 ]`, `[ 2 4 6 ]`},
		{`lib.genAttrs [ "a" "b" ] (n: n + "!")`, `{ a = "a!"; b = "b!"; }`},
		{`builtins.listToAttrs (map (n: { name = n; value = 1; }) [ "x" "y" ])`, `{ x = 1; y = 1; }`},
		{`lib.optionals true [ 1 ] ++ lib.optional false 2`, `[ 1 ]`},
		{`lib.recursiveUpdate { a.b = 1; a.c = 1; } { a.c = 2; }`, `{ a = { b = 1; c = 2; }; }`},
		{`lib.filterAttrs (n: v: v > 1) { a = 1; b = 2; }`, `{ b = 2; }`},
		{`lib.mapAttrsToList (n: v: n) { a = 1; b = 2; }`, `[ "a" "b" ]`},
		{`builtins.foldl' (a: b: a + b) 0 [ 1 2 3 ]`, `6`},
		{`lib.hasSuffix ".nix" "a.nix"`, `true`},
		{`lib.splitString "," "a,b"`, `[ "a" "b" ]`},
		{`{ a = 1; } // { b = 2; }`, `{ a = 1; b = 2; }`},
		{`if builtins.currentSystem == "x" then 1 else 2`, `<unknown>`},
		{`let x = x; in x`, `<unknown>`},
		{`false && unknownThing`, `false`},
		{`{ a = 1; } ? a`, `true`},
		{`{ a = 1; }.b or 7`, `7`},
		{`(x: y: x - y) 5 3`, `2`},
		{`lib.pipe 2 [ (x: x + 1) (x: x * 3) ]`, `9`},
		{`lib.toLower "AbC"`, `"abc"`},
		{`builtins.concatStringsSep "," [ "a" "b" ]`, `"a,b"`},
		{`[ 1 2 ] |> map (x: x + 1) |> builtins.length`, `2`},
		{`builtins.length <| map (x: x) <| [ 1 2 3 ]`, `3`},
		{`"a|>b"`, `"a|>b"`},
		{`let { x = 2; body = x + 1; }`, `3`},
		{`let letx = 1; in letx`, `1`},
		{`let input = { outPath = "/src"; }; in input + "/nixos/x.nix"`, `"/src/nixos/x.nix"`},
		{`(builtins.tryEval (assert 1 == 2; 3)).success`, `false`},
		{`(builtins.tryEval (throw "no")).value`, `false`},
		{`assert builtins.currentSystem == "x"; 3`, `3`}, // an unknown condition is taken as holding
		{`builtins ? currentSystem`, `false`},            // pure evaluation, as flakes are
	}
	for _, c := range cases {
		v, ev := evalText(t, c.src)
		if got := show(ev, v); got != c.want {
			t.Errorf("%s\n got %s\nwant %s", c.src, got, c.want)
		}
	}
}

func TestPathInterpolationKeepsOffsets(t *testing.T) {
	text := "let name = \"pi\"; in [ ./hosts/${name}/x.nix ./a/${name} \"${./k}\" ]"
	src := lang.NewSource("/tmp/f/test.nix", "test.nix", []byte(text))
	e, err := lang.ParseSource(src)
	if err != nil {
		t.Fatal(err)
	}
	l := e.(*lang.LetExpr).Body.(*lang.ListLit)
	p := l.Elems[0].(*lang.PathLit)
	if got := p.Sp.Text(); got != "./hosts/${name}/x.nix" {
		t.Errorf("span text %q", got)
	}
	if len(p.Parts) != 3 || p.Parts[0].Lit != "./hosts/" || p.Parts[2].Lit != "/x.nix" {
		t.Errorf("parts %+v", p.Parts)
	}
	if id, ok := p.Parts[1].Expr.(*lang.Ident); !ok || id.Sp.Text() != "name" {
		t.Errorf("interpolation %#v", p.Parts[1].Expr)
	}
	if got := l.Elems[1].(*lang.PathLit).Sp.Text(); got != "./a/${name}" {
		t.Errorf("second path %q", got)
	}
	// Everything after the rewritten paths keeps its place.
	if got := l.Elems[2].Span().Text(); got != `"${./k}"` {
		t.Errorf("string after paths %q", got)
	}
	v, ev := evalText(t, "let name = \"pi\"; in ./hosts/${name}/x.nix")
	if got := show(ev, v); !strings.HasSuffix(got, "/hosts/pi/x.nix") {
		t.Errorf("evaluated %s", got)
	}
}
