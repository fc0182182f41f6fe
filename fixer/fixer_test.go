package fixer

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nixbuild-lint/nixbuild-lint/nixeval/lang"
)

func parseList(t *testing.T, text string) (*lang.ListLit, []byte) {
	t.Helper()
	data := []byte(text)
	e, err := lang.ParseSource(lang.NewSource("/x/f.nix", "f.nix", data))
	if err != nil {
		t.Fatal(err)
	}
	var l *lang.ListLit
	lang.Walk(e, func(x lang.Expr) bool {
		if ll, ok := x.(*lang.ListLit); ok && l == nil {
			l = ll
		}
		return true
	})
	return l, data
}

func TestListInsertKeepsLayout(t *testing.T) {
	cases := []struct{ in, want string }{
		{`{ a = [ ]; }`, `{ a = [ "x" ]; }`},
		{`{ a = []; }`, `{ a = [ "x" ]; }`},
		{`{ a = [ "b" ]; }`, `{ a = [ "b" "x" ]; }`},
		{"{\n\ta = [\n\t\t\"b\"\n\t];\n}\n", "{\n\ta = [\n\t\t\"b\"\n\t\t\"x\"\n\t];\n}\n"},
		{"{\r\n  a = [\r\n    \"b\"\r\n  ];\r\n}\r\n", "{\r\n  a = [\r\n    \"b\"\r\n    \"x\"\r\n  ];\r\n}\r\n"},
	}
	for _, c := range cases {
		l, data := parseList(t, c.in)
		out, err := apply(data, []Edit{listInsert("f.nix", data, l, []string{"x"})})
		if err != nil || string(out) != c.want {
			t.Errorf("%q:\n got %q\nwant %q (%v)", c.in, out, c.want, err)
		}
	}
}

func TestListRemove(t *testing.T) {
	cases := []struct{ in, want string }{
		{`{ a = [ "kvm" ]; }`, `{ a = [ ]; }`},
		{`{ a = [ "a" "kvm" "b" ]; }`, `{ a = [ "a" "b" ]; }`},
		{`{ a = [ "kvm" "b" ]; }`, `{ a = [ "b" ]; }`},
		{"{ a = [\n  \"a\"\n  \"kvm\"\n]; }", "{ a = [\n  \"a\"\n]; }"},
	}
	for _, c := range cases {
		l, data := parseList(t, c.in)
		e, ok := listRemove("f.nix", data, l, "kvm")
		if !ok {
			t.Fatalf("%q: not found", c.in)
		}
		out, _ := apply(data, []Edit{e})
		if string(out) != c.want {
			t.Errorf("%q:\n got %q\nwant %q", c.in, out, c.want)
		}
	}
}

func TestNixString(t *testing.T) {
	if got := nixString(`a"b${c}\`); got != `"a\"b\${c}\\"` {
		t.Errorf("got %s", got)
	}
}

// TestUnifiedAppliesWithGit checks diffs against git apply, including a
// file without a final newline and changes far apart (two hunks).
func TestUnifiedAppliesWithGit(t *testing.T) {
	var lines []string
	for i := 0; i < 30; i++ {
		lines = append(lines, "line")
	}
	before := strings.Join(lines, "\n")
	afterLines := append([]string(nil), lines...)
	afterLines[2] = "changed near the top"
	afterLines = append(afterLines[:20], append([]string{"inserted"}, afterLines[20:]...)...)
	after := strings.Join(afterLines, "\n") + " (end)"
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "f.nix"), []byte(before), 0o644); err != nil {
		t.Fatal(err)
	}
	diff := Unified("f.nix", before, after)
	if strings.Count(diff, "@@ -") != 3 {
		t.Errorf("want three hunks:\n%s", diff)
	}
	cmd := exec.Command("git", "apply", "-")
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(diff)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git apply: %v\n%s\n%s", err, out, diff)
	}
	got, _ := os.ReadFile(filepath.Join(dir, "f.nix"))
	if string(got) != after {
		t.Errorf("applied:\n%q\nwant\n%q", got, after)
	}
}
