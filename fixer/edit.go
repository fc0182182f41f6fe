// Package fixer turns the fixes that rules return as data into text edits
// of the right file of the right host, shows them as unified diffs and
// writes them safely.
package fixer

import (
	"fmt"
	"sort"
	"strings"
)

// Edit replaces bytes [Start, End) of File (relative to the root) with New.
type Edit struct {
	File       string
	Start, End int
	New        string
}

// Refusal says why a fix is not offered.
type Refusal struct{ Reason string }

func (r *Refusal) Error() string { return r.Reason }

func refuse(format string, a ...any) error { return &Refusal{Reason: fmt.Sprintf(format, a...)} }

// apply applies non-overlapping edits to data. Inserts at the same offset
// are kept in the order given.
func apply(data []byte, edits []Edit) ([]byte, error) {
	sorted := append([]Edit(nil), edits...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Start < sorted[j].Start })
	var b strings.Builder
	pos := 0
	for _, e := range sorted {
		if e.Start < pos || e.End < e.Start || e.End > len(data) {
			return nil, fmt.Errorf("%s: overlapping edits at byte %d", e.File, e.Start)
		}
		b.Write(data[pos:e.Start])
		b.WriteString(e.New)
		pos = e.End
	}
	b.Write(data[pos:])
	return []byte(b.String()), nil
}

// overlaps reports whether two edits touch the same bytes. Two inserts at
// one point do not overlap; an insert strictly inside a replaced range does.
func overlaps(a, b Edit) bool {
	if a.File != b.File {
		return false
	}
	if a.Start == a.End && b.Start == b.End {
		return false
	}
	return a.Start < b.End && b.Start < a.End || a.Start == a.End && a.Start > b.Start && a.Start < b.End || b.Start == b.End && b.Start > a.Start && b.Start < a.End
}

// nixString quotes s as a Nix string literal.
func nixString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "${", `\${`, "\n", `\n`, "\t", `\t`, "\r", `\r`)
	return `"` + r.Replace(s) + `"`
}

// style is how a file is written: its newline and one level of indentation.
type style struct {
	nl     string
	indent string
}

func detectStyle(data []byte) style {
	st := style{nl: "\n", indent: "  "}
	switch {
	case strings.Contains(string(data), "\r\n"):
		st.nl = "\r\n"
	case strings.Contains(string(data), "\r") && !strings.Contains(string(data), "\n"):
		st.nl = "\r" // old Mac line endings: CR alone
	}
	for _, line := range strings.FieldsFunc(string(data), func(r rune) bool { return r == '\n' || r == '\r' }) {
		if strings.HasPrefix(line, "\t") {
			st.indent = "\t"
			break
		}
		if n := len(line) - len(strings.TrimLeft(line, " ")); n > 0 && strings.TrimSpace(line) != "" {
			st.indent = strings.Repeat(" ", n)
			break
		}
	}
	return st
}

// lineIndent is the leading white space of the line holding offset off.
func lineIndent(data []byte, off int) string {
	start := lineStart(data, off)
	end := start
	for end < len(data) && (data[end] == ' ' || data[end] == '\t') {
		end++
	}
	return string(data[start:end])
}

// lineStart is the offset of the first byte of the line holding off (a
// line ends at LF, CR LF or a CR alone).
func lineStart(data []byte, off int) int {
	return strings.LastIndexAny(string(data[:off]), "\r\n") + 1
}

// lineEnd is the offset just past the line break ending the line holding
// off (len(data) on the last line).
func lineEnd(data []byte, off int) int {
	i := strings.IndexAny(string(data[off:]), "\r\n")
	if i < 0 {
		return len(data)
	}
	end := off + i + 1
	if data[off+i] == '\r' && end < len(data) && data[end] == '\n' {
		end++
	}
	return end
}

// onOwnLine reports whether [start,end) is alone on its line(s) but for white space.
func onOwnLine(data []byte, start, end int) bool {
	before := string(data[lineStart(data, start):start])
	after := string(data[end:lineEnd(data, end)])
	return strings.TrimSpace(before) == "" && strings.TrimSpace(after) == ""
}
