package lang

import (
	"fmt"
	"strings"
	"testing"
)

// The hostile-input cases of the parser (issue 22, item 9 and the weak
// spots W2, W3): flat or deep files parse in linear time, a file nested
// deeper than Nix's parser allows is one positioned syntax error, and the
// messages are in Nix's words, not go-nix's token names.

func parseText(text string) error {
	_, err := ParseSource(NewSource("/x/hosts/b.nix", "hosts/b.nix", []byte(text)))
	return err
}

// TestHostileParseFlatChains: long left-leaning chains, which Nix parses
// (and evaluates) at once, are read. Before, 100,000 terms took over 60 s
// (the span of every node walked its whole subtree).
func TestHostileParseFlatChains(t *testing.T) {
	for _, text := range []string{
		strings.Repeat("1 + ", 100000) + "1\n",
		strings.Repeat("f ", 100000) + "1\n",
		"[ " + strings.Repeat("1 ", 100000) + "]\n",
	} {
		if err := checkParses(text); err != nil {
			t.Errorf("%.30q…: %v", text, err)
		}
	}
}

func checkParses(text string) error {
	_, err := ParseRange(NewSource("/x/p.nix", "p.nix", []byte(text)), 0, len(text))
	return err
}

// TestHostileParseTooDeep: what Nix 2.8 refuses with "memory exhausted"
// (its parser's 10,000-entry stack) is one syntax error at the line where
// the limit is passed; what it accepts just below the limit is read.
func TestHostileParseTooDeep(t *testing.T) {
	line5 := func(expr string) string {
		return "{ config, ... }:\n{\n  networking.hostName = \"b\";\n  services.openssh.enable = true;\n  nix.settings.max-jobs = " + expr + ";\n}\n"
	}
	deep := []struct{ name, expr string }{
		{"1M '!'", strings.Repeat("!", 1000000) + "true"},
		{"100k '- '", strings.Repeat("- ", 100000) + "1"},
		{"100k '{ } //'", strings.Repeat("{ } // ", 100000) + "{ }"},
		{"10k let", strings.Repeat("let x = ", 10000) + "1" + strings.Repeat("; in x", 10000)},
		{"10k lambdas", strings.Repeat("x: ", 10000) + "1"},
		{"10k if", strings.Repeat("if true then ", 10000) + "1" + strings.Repeat(" else 1", 10000)},
		{"300k '1 +'", strings.Repeat("1 + ", 300000) + "1"},
	}
	for _, c := range deep {
		err := parseText(line5(c.expr))
		if err == nil || !strings.HasPrefix(err.Error(), "hosts/b.nix:5:") || !strings.Contains(err.Error(), "syntax error: nested too deeply") {
			t.Errorf("%s: got %v, want hosts/b.nix:5:…: syntax error: nested too deeply", c.name, err)
		}
		if err != nil && strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error is not one line: %q", c.name, err)
		}
	}
	// Nix 2.8 parses these (measured with nix-instantiate --parse).
	fine := []struct{ name, expr string }{
		{"9,000 '!'", strings.Repeat("! ", 9000) + "true"},
		{"4,000 '{ } //'", strings.Repeat("{ } // ", 4000) + "{ }"},
		{"2,000 let", strings.Repeat("let x = ", 2000) + "1" + strings.Repeat("; in x", 2000)},
		{"4,000 lambdas", strings.Repeat("x: ", 4000) + "1"},
		{"3,000 if", strings.Repeat("if true then ", 3000) + "1" + strings.Repeat(" else 1", 3000)},
	}
	for _, c := range fine {
		if err := parseText(line5(c.expr)); err != nil {
			t.Errorf("%s: %v (Nix parses it)", c.name, err)
		}
	}
}

// TestHostileParseLongRuns: a run of operators or names without a space
// (go-nix's lexer reads it again from each token in it) is refused with its
// length instead of taking minutes.
func TestHostileParseLongRuns(t *testing.T) {
	if err := parseText("{\n  x = " + strings.Repeat("-", 1000000) + "1;\n}"); err == nil || err.Error() != "hosts/b.nix:2:7: syntax error: nested too deeply (1000000 minus signs in a row without a space; more than 1024)" {
		t.Errorf("1M minus signs: got %v", err)
	}
	for _, text := range []string{
		"{\n  x = " + strings.Repeat("1+", 100000) + "1;\n}",
		"{\n  x = " + strings.Repeat("a.", 100000) + "a;\n}",
	} {
		err := parseText(text)
		if err == nil || !strings.HasPrefix(err.Error(), "hosts/b.nix:2:7: syntax error: a name, number or chain of operators") {
			t.Errorf("%.20q…: got %v", text, err)
		}
	}
	// A long run inside a string or a comment is text.
	if err := parseText("# " + strings.Repeat("-", 100000) + "\n\"" + strings.Repeat("a.", 100000) + "\""); err != nil {
		t.Error(err)
	}
}

// TestHostileParseMessages: no go-nix token names (ii, interp, or_, id)
// and no stray brackets in a syntax error.
func TestHostileParseMessages(t *testing.T) {
	cases := []struct{ text, want string }{
		{"{\n  networking.hostName = ''b;\n  x = 1;\n}\n", "hosts/b.nix:2:26: syntax error: indented string '' is not terminated"},
		{"{ a = \"${x; }", "hosts/b.nix:1:7: syntax error: '\"' is not terminated"},
		{"\"${x", "hosts/b.nix:1:2: syntax error: '${' is not terminated"},
		{"{ a.b. = 1; }", "hosts/b.nix:1:8: syntax error: unexpected '=', expecting 'or', '${', name or '\"'"},
		{"x: : y", "hosts/b.nix:1:4: syntax error: unexpected ':'"},
		{"@", "hosts/b.nix:1:1: syntax error: unexpected '@'"},
		{"let in", "hosts/b.nix:1:5: syntax error: unexpected end of file"},
		{"x = " + strings.Repeat("(", 100) + "1" + strings.Repeat(")", 100), "hosts/b.nix:1:69: syntax error: nested too deeply (more than 64 brackets, strings and ${ } open at once, at this '(')"},
		{strings.Repeat("{ a = ", 100), "syntax error: nested too deeply (more than 64 brackets, strings and ${ } open at once, at this '{')"},
	}
	for _, c := range cases {
		err := parseText(c.text)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%.30q: got %v, want %s", c.text, err, c.want)
		}
		if err != nil && strings.ContainsAny(err.Error(), "\n") {
			t.Errorf("%.30q: not one line", c.text)
		}
		for _, internal := range []string{"ii ", "interp", "or_", " id ", "']", "$end", "recursion limit"} {
			if err != nil && strings.Contains(err.Error(), internal) {
				t.Errorf("%.30q: go-nix's %q in %v", c.text, internal, err)
			}
		}
	}
}

// BenchmarkParseChain: parsing is linear in the length of a chain (ns/op
// doubles with the terms). Before, it was quadratic: 10k terms 1.3 s, 20k
// 5.2 s.
func BenchmarkParseChain(b *testing.B) {
	for _, shape := range []struct{ name, unit, end string }{
		{"plus", "1 + ", "1"},
		{"not", "! ", "true"},
		{"apply", "f ", "1"},
	} {
		for _, n := range []int{10000, 20000, 40000, 80000} {
			unit := shape.unit
			if shape.name == "not" {
				// Past Nix's nesting limit it stops early; parse lists of
				// short chains of the same total length instead.
				unit = "(" + strings.Repeat(shape.unit, 100) + "true) "
				n /= 100
			}
			text := []byte(strings.Repeat(unit, n) + shape.end)
			if shape.name == "not" {
				text = []byte("[ " + strings.Repeat(unit, n) + "]")
			}
			b.Run(fmt.Sprintf("%s-%d", shape.name, n), func(b *testing.B) {
				b.SetBytes(int64(len(text)))
				for b.Loop() {
					src := NewSource("/x/p.nix", "p.nix", text)
					if _, err := ParseRange(src, 0, len(text)); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// TestHostileFromTOMLDeep: a TOML key of 100,000 dotted parts (the TOML
// decoder copies the key path at every level: gigabytes) is unknown at
// once; an ordinary one decodes.
func TestHostileFromTOMLDeep(t *testing.T) {
	ev := NewEvaluator(nil)
	call := func(toml string) Value {
		return ev.Call(ev.Force(ev.Root.vars["builtins"]).(*Attrs).M["fromTOML"].T.v, ValThunk(StrV(toml)), Span{})
	}
	u, ok := call(strings.Repeat("a.", 100000) + "b = 1").(*Unknown)
	if !ok || !strings.Contains(u.Why, "fromTOML: keys or tables nested too deep") {
		t.Errorf("deep key: got %v", u)
	}
	if _, ok := call("a = " + strings.Repeat("[", 100000) + strings.Repeat("]", 100000)).(*Unknown); !ok {
		t.Error("deep array: not unknown")
	}
	if a, ok := call("[a.b]\nc = \"x.y.z\" # a.b.c\nd = [ [ 1 ], [ 2 ] ]\n").(*Attrs); !ok || a.M["a"] == nil {
		t.Errorf("ordinary TOML: got %v", a)
	}
}

// TestHostileMemoryChargesOnce: what is charged is what is built, once: a
// string of 2,000 interpolations of a kilobyte (2 MB) stays well within a
// budget of 64 MB (charging each part with the text before it would make
// it 2 GB).
func TestHostileMemoryChargesOnce(t *testing.T) {
	text := `let s = "` + strings.Repeat("x", 1024) + `"; in "` + strings.Repeat("${s}", 2000) + `"`
	e, err := ParseSource(NewSource("/x/s.nix", "s.nix", []byte(text)))
	if err != nil {
		t.Fatal(err)
	}
	ev := NewEvaluator(nil)
	ev.MemBudget = 64 << 20
	v, ok := ev.Eval(e, ev.Root).(*Str)
	if !ok || len(v.S) != 2000*1024 {
		t.Fatalf("got %v", ev.Eval(e, ev.Root))
	}
	if ev.MemoryUsed() > 8<<20 {
		t.Errorf("charged %d bytes for a 2 MB string", ev.MemoryUsed())
	}
}
