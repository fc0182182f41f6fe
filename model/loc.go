// Package model holds the JSON-able picture of a fleet that every reader
// produces and every rule consumes: hosts, what they offer as builders, and
// the build machines they use, each value with the place it was defined.
package model

import "fmt"

// Loc is a place in a file of the checked tree. Line and column are 1-based;
// offsets are byte offsets. A zero Loc means "not written anywhere" (a NixOS
// default, or a value the reader could not place).
type Loc struct {
	File      string `json:"file,omitempty"`
	Line      int    `json:"line,omitempty"`
	Column    int    `json:"column,omitempty"`
	EndLine   int    `json:"endLine,omitempty"`
	EndColumn int    `json:"endColumn,omitempty"`
	Offset    int    `json:"offset,omitempty"`
	EndOffset int    `json:"endOffset,omitempty"`
}

// Known reports whether the location points into a file.
func (l Loc) Known() bool { return l.File != "" }

func (l Loc) String() string {
	if l.File == "" {
		return "<default>"
	}
	return fmt.Sprintf("%s:%d:%d", l.File, l.Line, l.Column)
}
