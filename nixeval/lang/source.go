package lang

import (
	"fmt"
	"sort"

	"github.com/nixbuild-lint/nixbuild-lint/model"
)

// Source is one Nix file as read from disk, with a line table for turning
// byte offsets into line and column numbers.
type Source struct {
	Path     string // absolute path
	Rel      string // path relative to the checked root, slash-separated
	Data     []byte
	lines    []int // byte offset of the start of each line
	Internal bool  // the reader's own lib, never shown to users
	Store    bool  // a file of a locked input read from the store (Internal too)
	// Input names the input a store file belongs to, and InputPath the
	// file's path in it.
	Input, InputPath string
}

// NewSource wraps file contents for parsing; rel is the path shown to
// users.
func NewSource(path, rel string, data []byte) *Source {
	s := &Source{Path: path, Rel: rel, Data: data, lines: []int{0}}
	for i, b := range data {
		if b == '\n' {
			s.lines = append(s.lines, i+1)
		}
	}
	return s
}

// LineCol turns a byte offset into a 1-based line and column (columns count bytes).
func (s *Source) LineCol(off int) (int, int) {
	if off < 0 {
		off = 0
	}
	if off > len(s.Data) {
		off = len(s.Data)
	}
	i := sort.Search(len(s.lines), func(i int) bool { return s.lines[i] > off }) - 1
	return i + 1, off - s.lines[i] + 1
}

// Span is a byte range inside one source file.
type Span struct {
	Src        *Source
	Start, End int
}

// Valid reports whether the span points into a file.
func (sp Span) Valid() bool { return sp.Src != nil }

// Loc converts the span into the model's JSON-able location.
func (sp Span) Loc() model.Loc {
	if sp.Src == nil {
		return model.Loc{}
	}
	l, c := sp.Src.LineCol(sp.Start)
	el, ec := sp.Src.LineCol(sp.End)
	return model.Loc{File: sp.Src.Rel, Line: l, Column: c, EndLine: el, EndColumn: ec, Offset: sp.Start, EndOffset: sp.End}
}

func (sp Span) String() string {
	if sp.Src == nil {
		return "<unknown>"
	}
	l, c := sp.Src.LineCol(sp.Start)
	return fmt.Sprintf("%s:%d:%d", sp.Src.Rel, l, c)
}

// Text returns the source bytes the span covers.
func (sp Span) Text() string {
	if sp.Src == nil || sp.Start < 0 || sp.End > len(sp.Src.Data) || sp.Start > sp.End {
		return ""
	}
	return string(sp.Src.Data[sp.Start:sp.End])
}
