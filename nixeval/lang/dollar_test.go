package lang

import "testing"

// TestDollarBeforeEscape: a "$" right before an escape in a string ("$\"",
// "$\\", "$\${") is the character "$" followed by the escaped one, as in
// Nix. Before, the lexer took "$\" as two plain characters: in "$\"" the
// escaped quote ended the string, and the rest of the file was misread (a
// syntax error, or worse a different string). Each case against the real
// nix-instantiate --eval, parsed alone and in a batch with other files (the
// batch parse shares one text and one offset table).
func TestDollarBeforeEscape(t *testing.T) {
	exprs := []string{
		`"$\""`,
		`"a$\"b"`,
		`let x = "v"; in "$\"${x}\""`,
		`"$\\"`,
		`"$\${x}"`,
		`"$$"`,
		`"$"`,
		`"$$\""`,
		`"$$$\"$"`,
		`[ "$\"" "q" ]`,
		`"\$\""`,
		`"$\n$\t"`,
		`''$''\${x}''`,
		`'' $'' ''`,
		`'' a$''\nb''`,
		`''$'''' ''`,
		`let x = "v"; in '' $${x} ''`,
	}
	var srcs []*Source
	for _, expr := range exprs {
		srcs = append(srcs, NewSource("/x/t.nix", "t.nix", []byte(expr)))
	}
	batch := ParseBatch(append(srcs, NewSource("/x/u.nix", "u.nix", []byte(`"u"`))))
	for i, expr := range exprs {
		want := nixSays(t, expr)
		got := "error"
		if e, perr := ParseSource(srcs[i]); perr == nil {
			ev := NewEvaluator(nil)
			got = showLazy(ev, ev.Eval(e, ev.Root))
		}
		if got != want {
			t.Errorf("%s\n reader %s\n    nix %s", expr, got, want)
		}
		inBatch := "error"
		if batch[i].Err == nil {
			ev := NewEvaluator(nil)
			inBatch = showLazy(ev, ev.Eval(batch[i].Expr, ev.Root))
		}
		if inBatch != want {
			t.Errorf("%s in a batch\n reader %s\n    nix %s", expr, inBatch, want)
		}
	}
}
