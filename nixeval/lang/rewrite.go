package lang

import (
	"fmt"
	"strconv"
	"strings"
)

// go-nix predates path interpolation (`./hosts/${name}`, Nix 2.4). Before
// parsing, each such path is replaced by a placeholder identifier of exactly
// the same length, so every other byte keeps its offset; the converter turns
// the placeholder back into a PathLit whose interpolations are parsed on
// their own.

type scanner struct {
	b      []byte
	src    *Source
	base   int
	pieces map[string]*pathPiece
	pipes  map[int]string // offset in b -> "|>" or "<|"; also "let" for `let { … }`, "$" for a dollar before an escape
	err    error
}

// rewritePaths also replaces the pipe operators (Nix 2.24), which go-nix
// does not know, by operators of the same length and nearly the same
// grouping: `|>` (left-associative, weakest) by `||`, `<|` (right-
// associative) by `//`. The converter turns them back into applications.
// And it replaces the implication `->` by `||`: go-nix makes `->`
// non-associative, so `a -> b -> c`, which Nix reads as `a -> (b -> c)`,
// was a syntax error; parsed as `||` it is one left-leaning chain with the
// real `||` of its level, which the converter splits at the implications
// (weaker than `||`, right-associative).
func rewritePaths(b []byte, src *Source, base int) (map[string]*pathPiece, map[int]string, error) {
	s := &scanner{b: b, src: src, base: base}
	s.code(0, false)
	return s.pieces, s.pipes, s.err
}

func (s *scanner) pipe(i int, op, repl string) {
	if s.pipes == nil {
		s.pipes = map[int]string{}
	}
	s.pipes[i] = op
	copy(s.b[i:i+len(repl)], repl)
}

func isPathChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-' || c == '+'
}

func isIdentStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
}

// code scans expression text from i. With inInterp it stops after the brace
// that closes the interpolation and returns the index after it.
func (s *scanner) code(i int, inInterp bool) int {
	depth := 0
	b := s.b
	for i < len(b) && s.err == nil {
		c := b[i]
		switch {
		case c == '#':
			for i < len(b) && b[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(b) && b[i+1] == '*':
			end := strings.Index(string(b[i+2:]), "*/")
			if end < 0 {
				return len(b)
			}
			i += 2 + end + 2
		case c == '"':
			i = s.str(i + 1)
		case c == '\'' && i+1 < len(b) && b[i+1] == '\'':
			i = s.istr(i + 2)
		case c == '{':
			depth++
			i++
		case c == '}':
			if depth == 0 && inInterp {
				return i + 1
			}
			depth--
			i++
		case c == '$' && i+1 < len(b) && b[i+1] == '{':
			// ${ in attribute names: a nested code block.
			i = s.code(i+2, true)
		case c == '|' && i+1 < len(b) && b[i+1] == '>':
			s.pipe(i, "|>", "||")
			i += 2
		case c == '<' && i+1 < len(b) && b[i+1] == '|':
			s.pipe(i, "<|", "//")
			i += 2
		case c == '-' && i+1 < len(b) && b[i+1] == '>':
			// An implication not glued to an identifier (`a->b` is `a-` and
			// `>`, as Nix lexes it: word took the dash).
			s.pipe(i, "->", "||")
			i += 2
		case isPathChar(c) || c == '/' || c == '~':
			i = s.word(i)
		default:
			i++
		}
	}
	return i
}

// word scans an identifier, number or path starting at i.
func (s *scanner) word(i int) int {
	b := s.b
	start := i
	if isIdentStart(b[i]) {
		j := i
		for j < len(b) && (isPathChar(b[j]) || b[j] == '\'') {
			j++
		}
		if string(b[i:j]) == "let" {
			// The old `let { body = …; }` form: read it as `rec { … }.body`.
			k := j
			for k < len(b) && (b[k] == ' ' || b[k] == '\t' || b[k] == '\n' || b[k] == '\r') {
				k++
			}
			if k < len(b) && b[k] == '{' {
				s.pipe(i, "let", "rec")
				return j
			}
		}
		if j >= len(b) || b[j] != '/' || strings.ContainsRune(string(b[i:j]), '\'') {
			s.checkWord(start, j)
			return j
		}
	}
	sawSlash := false
	var parts []rawPart
	lit := strings.Builder{}
	interp := false
	for i < len(b) {
		c := b[i]
		switch {
		case isPathChar(c) || (c == '~' && i == start):
			lit.WriteByte(c)
			i++
		case c == '/' && i+1 < len(b) && (isPathChar(b[i+1]) || b[i+1] == '$' && i+2 < len(b) && b[i+2] == '{'):
			sawSlash = true
			lit.WriteByte(c)
			i++
		case c == '$' && sawSlash && i+1 < len(b) && b[i+1] == '{':
			if lit.Len() > 0 {
				parts = append(parts, rawPart{lit: lit.String()})
				lit.Reset()
			}
			end := s.code(i+2, true)
			parts = append(parts, rawPart{isExpr: true, start: i + 2, end: end - 1})
			interp = true
			i = end
		default:
			goto done
		}
	}
done:
	if i == start {
		return i + 1
	}
	if !interp {
		if !sawSlash {
			s.checkWord(start, i)
		}
		return i
	}
	if lit.Len() > 0 {
		parts = append(parts, rawPart{lit: lit.String()})
	}
	if s.pieces == nil {
		s.pieces = map[string]*pathPiece{}
	}
	name := "__P" + strconv.FormatInt(int64(len(s.pieces)), 36)
	if len(name) > i-start {
		s.err = &SyntaxError{Src: s.src, Offset: s.base + start, Message: "path too short to read"}
		return i
	}
	name += strings.Repeat("_", i-start-len(name))
	copy(b[start:i], name)
	s.pieces[name] = &pathPiece{start: start, end: i, parts: parts}
	return i
}

// MaxWord is the longest run of letters, digits and `. _ - +` outside a
// string, a comment or a path that is read. go-nix's lexer reads such a run
// again from every token in it (`a.b.c…`, `- - -…` written without spaces,
// `1+1+…`), which takes time quadratic in its length; real code has no
// name or number near this long.
const MaxWord = 1024

func (s *scanner) checkWord(start, end int) {
	if end-start <= MaxWord || s.err != nil {
		return
	}
	msg := fmt.Sprintf("a name, number or chain of operators %d characters long without a space (more than %d)", end-start, MaxWord)
	if ops := strings.Count(string(s.b[start:end]), "-"); ops > end-start-64 {
		// `------…1`: each minus a level of nesting, as Nix reads it.
		msg = fmt.Sprintf("nested too deeply (%d minus signs in a row without a space; more than %d)", ops, MaxWord)
	}
	s.err = &SyntaxError{Src: s.src, Offset: s.base + start, Message: msg}
}

func (s *scanner) str(i int) int {
	b := s.b
	for i < len(b) {
		switch {
		case b[i] == '\\':
			i += 2
		case b[i] == '"':
			return i + 1
		case b[i] == '$' && i+1 < len(b) && b[i+1] == '\\':
			// "$\"" is a dollar and an escaped quote in Nix; go-nix's
			// lexer takes "$\" as two plain characters and the quote as
			// the string's end. The dollar becomes a NUL (a plain
			// character for go-nix; no file the reader parses has one)
			// and the converter puts it back (dollarBack).
			s.pipe(i, "$", "\x00")
			i++
		case b[i] == '$' && i+1 < len(b) && b[i+1] == '$':
			i += 2
		case b[i] == '$' && i+1 < len(b) && b[i+1] == '{':
			i = s.code(i+2, true)
		default:
			i++
		}
	}
	return i
}

func (s *scanner) istr(i int) int {
	b := s.b
	for i < len(b) {
		switch {
		case b[i] == '\'' && i+1 < len(b) && b[i+1] == '\'':
			if i+2 < len(b) && (b[i+2] == '\'' || b[i+2] == '$') {
				i += 3
			} else if i+2 < len(b) && b[i+2] == '\\' {
				i += 4
			} else {
				return i + 2
			}
		case b[i] == '$' && i+1 < len(b) && b[i+1] == '$':
			i += 2
		case b[i] == '$' && i+1 < len(b) && b[i+1] == '{':
			i = s.code(i+2, true)
		default:
			i++
		}
	}
	return i
}
