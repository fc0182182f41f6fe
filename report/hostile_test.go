package report

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/fatih/color"
	"github.com/nixbuild-lint/nixbuild-lint/model"
	"github.com/nixbuild-lint/nixbuild-lint/rules"
)

// TestHostileTermEscapes: what Term prints for each kind of control
// character, also when a write cuts a UTF-8 sequence in two.
func TestHostileTermEscapes(t *testing.T) {
	cases := []struct{ in, want string }{
		{"plain\ttext\n", "plain\ttext\n"},
		{"é ü 🚀", "é ü 🚀"},
		{"\x1b]0;title\x07\x1b[2J", `\x1b]0;title\x07\x1b[2J`},
		{"a\rb\x00c\x7f", `a\x0db\x00c\x7f`},
		{"\u009b2J", `\x9b2J`},
		{"a\u202eevil\u2066", `a\u202eevil\u2066`},
		{"bad \xff\xfe utf8", `bad \xff\xfe utf8`},
	}
	for _, c := range cases {
		if got := EscapeTerm(c.in); got != c.want {
			t.Errorf("EscapeTerm(%q) = %q, want %q", c.in, got, c.want)
		}
		// Byte by byte through a Term: the same.
		var b bytes.Buffer
		w := NewTerm(&b)
		for i := 0; i < len(c.in); i++ {
			if _, err := w.Write([]byte{c.in[i]}); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		if b.String() != c.want {
			t.Errorf("Term byte by byte %q = %q, want %q", c.in, b.String(), c.want)
		}
	}
	// Colors are Term's own: raw; the text inside them escaped.
	old := color.NoColor
	color.NoColor = false
	defer func() { color.NoColor = old }()
	var b bytes.Buffer
	if err := NewTerm(&b).Styled(color.New(color.FgRed), "x\x1b[2J"); err != nil {
		t.Fatal(err)
	}
	if want := "\x1b[31mx\\x1b[2J\x1b[0m"; b.String() != want {
		t.Errorf("Styled = %q, want %q", b.String(), want)
	}
}

// TestHostileLineTerm: on stderr a value's newline cannot start a line.
func TestHostileLineTerm(t *testing.T) {
	var b bytes.Buffer
	w := NewLineTerm(&b)
	for _, m := range []string{"nixbuild-lint: host a\n::error::forged not read\n", "second\n"} {
		if _, err := w.Write([]byte(m)); err != nil {
			t.Fatal(err)
		}
	}
	if want := "nixbuild-lint: host a\\n::error::forged not read\nsecond\n"; b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}

// TestHostilePlainLogLine: no plain line of --format github is a workflow
// command.
func TestHostilePlainLogLine(t *testing.T) {
	for in, want := range map[string]string{
		"::error file=x::y":     "%3A:error file=x::y",
		"  ::warning::y":        "  %3A:warning::y",
		"a\n::error::b\r::c::d": "a%0A::error::b%0D::c::d",
		"x ##[error]y":          "x ##%5Berror]y",
		"100% ok":               "100%25 ok",
	} {
		if got := PlainLogLine(in); got != want {
			t.Errorf("PlainLogLine(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestHostileExcerptBounded: a finding on a long line prints a window
// around its column, the caret under it.
func TestHostileExcerptBounded(t *testing.T) {
	line := strings.Repeat("x", 10000) + "HERE" + strings.Repeat("y", 10000)
	got, col := Excerpt(line, 10001)
	if len(got) > ExcerptWidth+2*len("…") || !strings.HasPrefix(got, "…") || !strings.HasSuffix(got, "…") {
		t.Fatalf("excerpt of %d bytes: %.40q…", len(got), got)
	}
	if r := []rune(got); string(r[col-1:col+3]) != "HERE" {
		t.Errorf("column %d of the excerpt is not the finding's: %q", col, string(r[col-1:col+3]))
	}
	if got, col := Excerpt("short", 3); got != "short" || col != 3 {
		t.Errorf("a short line is cut: %q %d", got, col)
	}
}

// countingWriter records the size of each write.
type countingWriter struct {
	writes, largest, total int
}

func (c *countingWriter) Write(p []byte) (int, error) {
	c.writes++
	c.total += len(p)
	c.largest = max(c.largest, len(p))
	return len(p), nil
}

// TestHostileTextStreams: Text writes as it goes, in small writes, rather
// than building the whole output first.
func TestHostileTextStreams(t *testing.T) {
	var fs []rules.Finding
	for i := range 20000 {
		fs = append(fs, rules.Finding{Rule: "invalid-system", Severity: rules.Error, Host: "h",
			At: model.Loc{File: "f.nix", Line: 1, Column: 1}, Message: fmt.Sprintf("finding %d", i)})
	}
	w := &countingWriter{}
	if err := Text(w, t.TempDir(), "static", fs, nil, nil); err != nil {
		t.Fatal(err)
	}
	if w.largest > 64<<10 || w.writes < w.total/(64<<10) {
		t.Errorf("%d bytes in %d writes, the largest %d: not streamed", w.total, w.writes, w.largest)
	}
}
