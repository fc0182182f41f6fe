package lang

import (
	"strings"
	"testing"

	"github.com/nixbuild-lint/nixbuild-lint/internal/fuzzseed"
)

func TestSyntaxErrorsArePositioned(t *testing.T) {
	cases := []struct{ text, want string }{
		{"{\n  a = ;\n}", "test.nix:2:7: syntax error"},
		{"", "test.nix:1:1: syntax error: no expression (the file is empty)"},
		{"# only a comment\n", "no expression"},
		{"[ ( ]", "test.nix:1:3: syntax error: '(' opened on line 1 is closed by ']'"},
		{"\"abc", "test.nix:1:1: syntax error: '\"' is not terminated"},
		{"{ boot = [ ];\n  boot.x = 1; }", "test.nix:2:3: syntax error: attribute 'boot' already defined at test.nix:1:3"},
		{"{ a = 1; a = 2; }", "attribute 'a' already defined"},
		{"{ a.b = 1; a = { b = 2; }; }", "attribute 'b' already defined"},
		{"let a = 1; inherit a; in a", "attribute 'a' already defined"},
	}
	for _, c := range cases {
		src := NewSource("/x/test.nix", "test.nix", []byte(c.text))
		_, err := ParseSource(src)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: got %v, want %q", c.text, err, c.want)
		}
	}
}

// FuzzParse: any bytes parse or fail with a positioned error, never panic.
func FuzzParse(f *testing.F) {
	fuzzseed.Add(f, "../../testdata/configs", "../../testdata/parse")
	f.Fuzz(func(t *testing.T, data []byte) {
		src := NewSource("/fuzz/f.nix", "f.nix", data)
		e, err := ParseSource(src)
		if err == nil && e == nil {
			t.Fatal("no expression and no error")
		}
		if err != nil && !strings.HasPrefix(err.Error(), "f.nix:") {
			t.Fatalf("error without position: %v", err)
		}
	})
}
