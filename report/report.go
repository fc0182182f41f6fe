// Package report prints findings for people (golangci-lint-like text) and
// for programs (JSON).
package report

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/fatih/color"
	"github.com/nixbuild-lint/nixbuild-lint/internal/treefs"
	"github.com/nixbuild-lint/nixbuild-lint/model"
	"github.com/nixbuild-lint/nixbuild-lint/rules"
)

// JSONFinding is the stable JSON shape of a finding.
type JSONFinding struct {
	Rule      string        `json:"rule"`
	Code      string        `json:"code"`
	Severity  string        `json:"severity"`
	Host      string        `json:"host"`
	Hosts     []string      `json:"hosts"`
	File      string        `json:"file"`
	Line      int           `json:"line"`
	Column    int           `json:"column"`
	EndLine   int           `json:"endLine"`
	EndColumn int           `json:"endColumn"`
	Message   string        `json:"message"`
	Related   []JSONRelated `json:"related"`
	Fixable   bool          `json:"fixable"`
	Fixes     []JSONFix     `json:"fixes,omitempty"`
	URL       string        `json:"url"`
}

// JSONRelated is another place that matters for a finding.
type JSONRelated struct {
	Host    string `json:"host"`
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
}

// JSONFix is an LSP-shaped fix: a message and text edits.
type JSONFix struct {
	Message string     `json:"message"`
	Edits   []JSONEdit `json:"edits"`
}

// JSONEdit replaces a range of a file with new text (1-based lines and
// columns; columns count bytes).
type JSONEdit struct {
	File    string    `json:"file"`
	Range   JSONRange `json:"range"`
	NewText string    `json:"newText"`
}

// JSONRange is a start and end position.
type JSONRange struct {
	Start JSONPos `json:"start"`
	End   JSONPos `json:"end"`
}

// JSONPos is a 1-based line and column.
type JSONPos struct {
	Line   int `json:"line"`
	Column int `json:"column"`
}

// Document is the whole JSON output of a check.
type Document struct {
	Version string `json:"version"`
	Eval    string `json:"eval"`
	// EvalReason says why that reader ran (--eval auto chooses).
	EvalReason string        `json:"evalReason,omitempty"`
	Coverage   *Coverage     `json:"coverage,omitempty"`
	Findings   []JSONFinding `json:"findings"`
}

// ToJSON converts findings; fixes maps a finding's index to its edits.
// cov is nil where no fleet was read (the machines command).
func ToJSON(eval, reason string, cov *Coverage, fs []rules.Finding, fixes map[int][]JSONFix) Document {
	doc := Document{Version: Version(), Eval: eval, EvalReason: reason, Coverage: cov, Findings: []JSONFinding{}}
	for i, f := range fs {
		hosts := f.Hosts
		if len(hosts) == 0 {
			hosts = []string{f.Host}
		}
		jf := JSONFinding{Rule: f.Rule, Code: f.Code, Severity: f.Severity.String(), Host: f.Host, Hosts: hosts,
			File: f.At.File, Line: f.At.Line, Column: f.At.Column, EndLine: f.At.EndLine, EndColumn: f.At.EndColumn,
			Message: f.Message, Related: []JSONRelated{}, Fixes: fixes[i], URL: RuleDocURL(f.Rule)}
		jf.Fixable = len(jf.Fixes) > 0
		for _, r := range f.Related {
			jf.Related = append(jf.Related, JSONRelated{Host: r.Host, File: r.At.File, Line: r.At.Line, Column: r.At.Column, Message: r.Message})
		}
		doc.Findings = append(doc.Findings, jf)
	}
	return doc
}

// WriteJSON prints a document, indented, with a final newline.
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// Text prints findings the way golangci-lint does: the position, the
// message and the rule, then the source line with a caret, then related
// places indented. A summary line closes the output.
// notFixed holds, for findings whose fixes the fixer cannot apply, why.
// eval is the reader that read the fleet ("nix" or "static"), named at the
// end of the summary line; "" names none (a machines file).
func Text(out io.Writer, root, eval string, fs []rules.Finding, fixable map[int]bool, notFixed map[int]string) error {
	// Written as produced (buffered only a little), through Term.
	bw := bufio.NewWriter(out)
	w := NewTerm(bw)
	lines := map[string][]string{}
	source := func(file string, line int) (string, bool) {
		ls, ok := lines[file]
		if !ok {
			data, err := treefs.ReadRegular(filepath.Join(root, filepath.FromSlash(file)), treefs.MaxNixFile)
			if err == nil {
				ls = strings.Split(string(data), "\n")
			}
			lines[file] = ls
		}
		if line < 1 || line > len(ls) {
			return "", false
		}
		return strings.TrimRight(ls[line-1], "\r"), true
	}
	bold := color.New(color.Bold)
	sev := map[rules.Severity]*color.Color{
		rules.Error:   color.New(color.FgRed),
		rules.Warning: color.New(color.FgYellow),
		rules.Info:    color.New(color.FgCyan),
	}
	faint := color.New(color.Faint)
	counts := map[rules.Severity]int{}
	perRule := map[string]int{}
	nFixable := 0
	var err error
	styled := func(c *color.Color, s string) {
		if err == nil {
			err = w.Styled(c, s)
		}
	}
	for i, f := range fs {
		counts[f.Severity]++
		perRule[f.Rule]++
		if fixable[i] {
			nFixable++
		}
		styled(bold, locString(f.At))
		styled(nil, ": "+f.Message+" ")
		styled(sev[f.Severity], "("+f.Rule+")")
		styled(nil, "\n")
		if src, ok := source(f.At.File, f.At.Line); ok {
			src, col := Excerpt(src, f.At.Column)
			styled(nil, src+"\n"+caretPad(src, col))
			styled(sev[f.Severity], "^")
			styled(nil, "\n")
		}
		for _, r := range f.Related {
			styled(nil, "    ")
			styled(faint, locString(r.At))
			styled(nil, ": "+r.Message+"\n")
		}
		if why := notFixed[i]; why != "" {
			styled(nil, "    ")
			styled(faint, "not fixed by --fix:")
			styled(nil, " "+why+"\n")
		}
		if err != nil {
			return err
		}
	}
	if len(fs) == 0 {
		return nil
	}
	var parts []string
	for _, s := range []rules.Severity{rules.Error, rules.Warning, rules.Info} {
		if n := counts[s]; n > 0 {
			word := s.String()
			if n > 1 {
				word += "s"
			}
			parts = append(parts, fmt.Sprintf("%d %s", n, word))
		}
	}
	var ruleParts []string
	names := make([]string, 0, len(perRule))
	for n := range perRule {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		ruleParts = append(ruleParts, fmt.Sprintf("%s: %d", n, perRule[n]))
	}
	summary := strings.Join(parts, ", ") + " (" + strings.Join(ruleParts, ", ") + ")"
	if nFixable > 0 {
		summary += fmt.Sprintf("; %d fixable with --fix", nFixable)
	}
	switch eval {
	case "nix":
		summary += " (read with nix)"
	case "static":
		summary += " (read statically)"
	}
	styled(nil, summary+"\n")
	if err != nil {
		return err
	}
	return bw.Flush()
}

func locString(l model.Loc) string {
	if !l.Known() {
		return "<nixos default>"
	}
	return fmt.Sprintf("%s:%d:%d", l.File, l.Line, l.Column)
}

// ExcerptWidth bounds the source line printed under a finding: a window of
// about this many bytes around the column, with an ellipsis where the line
// goes on. A finding on a long generated line prints a short excerpt, not
// the whole line (5,000 findings on one 69 KB line printed 515 MB).
const ExcerptWidth = 240

// Excerpt is the window of line printed for a finding at col (1-based,
// bytes), and the column in it.
func Excerpt(line string, col int) (string, int) {
	if len(line) <= ExcerptWidth {
		return line, col
	}
	if col < 1 {
		col = 1
	}
	if col > len(line)+1 {
		col = len(line) + 1
	}
	start := col - 1 - ExcerptWidth/3
	if start < 0 {
		start = 0
	}
	end := start + ExcerptWidth
	if end > len(line) {
		end = len(line)
		start = max(0, end-ExcerptWidth)
	}
	// Cut on rune boundaries.
	for start > 0 && !utf8.RuneStart(line[start]) {
		start--
	}
	for end < len(line) && !utf8.RuneStart(line[end]) {
		end++
	}
	out := line[start:end]
	col -= start
	if start > 0 {
		out = "…" + out
		col++ // the ellipsis is one column wide on the screen
	}
	if end < len(line) {
		out += "…"
	}
	return out, col
}

// caretPad keeps tabs so the caret lines up under the column.
// It counts what the screen shows: one column a character, and a control
// character as wide as its escape.
func caretPad(src string, col int) string {
	var b strings.Builder
	if strings.HasPrefix(src, "…") {
		b.WriteByte(' ')
		src = src[len("…"):]
		col--
	}
	for i, r := range src {
		if i >= col-1 {
			break
		}
		var w int
		switch _, size := utf8.DecodeRuneInString(src[i:]); {
		case r == '\t':
			b.WriteByte('\t')
			continue
		case r == utf8.RuneError && size == 1:
			w = len(`\xff`)
		default:
			w = utf8.RuneCountInString(EscapeTerm(string(r)))
		}
		b.WriteString(strings.Repeat(" ", w))
	}
	return b.String()
}
