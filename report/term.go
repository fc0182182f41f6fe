package report

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/fatih/color"
)

// Term is the writer every output meant for people goes through (text,
// github, hosts, graph, the step summary, messages on stderr). What comes
// out of a fleet — host names, sshUser, systems, file names, source lines,
// the bytes of a readFile'd file — can hold control characters; written
// raw they would set a terminal's title, clear it or move the cursor, and
// a CR would overwrite what was printed before it. Term prints each of them
// escaped instead: C0 controls but tab and newline, DEL and C1 controls as
// \xNN, the Unicode bidirectional overrides as \uNNNN (they reorder what is
// shown), and bytes that are not UTF-8 as \xNN. The only raw escape
// sequences are the colors Term writes itself (Styled).
type Term struct {
	w     io.Writer
	carry []byte // the start of a UTF-8 sequence cut by the last Write
	lines bool   // each Write is one line: a newline inside it is escaped
}

// NewTerm wraps w (a Term stays itself, so wrapping twice is harmless).
func NewTerm(w io.Writer) *Term {
	if t, ok := w.(*Term); ok {
		return t
	}
	return &Term{w: w}
}

// NewLineTerm is a Term for messages written one line a Write (stderr): a
// newline before the end of a Write comes out as \n, so a value holding
// one cannot start a line of its own (on GitHub Actions, a workflow
// command).
func NewLineTerm(w io.Writer) *Term {
	return &Term{w: w, lines: true}
}

// Write escapes p; it reports len(p) when all of it was written.
func (t *Term) Write(p []byte) (int, error) {
	n := len(p)
	if len(t.carry) > 0 {
		p = append(t.carry, p...)
		t.carry = nil
	}
	if t.lines {
		if i := bytes.IndexByte(p, '\n'); i >= 0 && i < len(p)-1 {
			last := p[len(p)-1]
			p = append(bytes.ReplaceAll(p[:len(p)-1], []byte("\n"), []byte(`\n`)), last)
		}
	}
	// Keep an incomplete UTF-8 sequence at the end for the next Write.
	if cut := incompleteTail(p); cut > 0 {
		t.carry = append([]byte(nil), p[len(p)-cut:]...)
		p = p[:len(p)-cut]
	}
	if _, err := io.WriteString(t.w, escapeTerm(p)); err != nil {
		return 0, err
	}
	return n, nil
}

// Flush writes a sequence left incomplete by the last Write (escaped, as
// the bytes it is).
func (t *Term) Flush() error {
	if len(t.carry) == 0 {
		return nil
	}
	p := t.carry
	t.carry = nil
	var b strings.Builder
	for _, c := range p {
		fmt.Fprintf(&b, `\x%02x`, c)
	}
	_, err := io.WriteString(t.w, b.String())
	return err
}

// Styled writes s escaped, in c's color (c nil: no color).
func (t *Term) Styled(c *color.Color, s string) error {
	if err := t.Flush(); err != nil {
		return err
	}
	s = EscapeTerm(s)
	if c != nil {
		s = c.Sprint(s)
	}
	_, err := io.WriteString(t.w, s)
	return err
}

// EscapeTerm is s as Term prints it.
func EscapeTerm(s string) string {
	if safeForTerm(s) {
		return s
	}
	return escapeTerm([]byte(s))
}

func safeForTerm(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 && c != '\t' && c != '\n' || c >= 0x7f {
			return false
		}
	}
	return true
}

func escapeTerm(p []byte) string {
	s := string(p)
	if safeForTerm(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		c := s[i]
		if c < 0x80 {
			if c < 0x20 && c != '\t' && c != '\n' || c == 0x7f {
				fmt.Fprintf(&b, `\x%02x`, c)
			} else {
				b.WriteByte(c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, c)
		case r >= 0x80 && r <= 0x9f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case isBidi(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// isBidi: the embedding, override and isolate controls (and the marks),
// which change the order characters are shown in.
func isBidi(r rune) bool {
	return r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 || r == 0x200e || r == 0x200f || r == 0x061c
}

// incompleteTail is the length of a UTF-8 sequence started at the end of p
// and not finished there (0 if none).
func incompleteTail(p []byte) int {
	for k := 1; k <= 3 && k <= len(p); k++ {
		c := p[len(p)-k]
		if c < 0x80 {
			return 0
		}
		if c >= 0xc0 { // a leading byte: how long its sequence is
			need := 2
			if c >= 0xe0 {
				need = 3
			}
			if c >= 0xf0 {
				need = 4
			}
			if need > k {
				return k
			}
			return 0
		}
	}
	return 0
}

// WriteString is Write for a string.
func (t *Term) WriteString(s string) (int, error) { return t.Write([]byte(s)) }
