package report

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/nixbuild-lint/nixbuild-lint/rules"
)

// GitHub workflow commands: data escapes %, CR and LF; properties also
// escape : and , (GitHub's toolkit does the same).
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// mdCell is s as text in a cell of a Markdown table: control characters as
// Term prints them, a line break as a space, and what Markdown or its HTML
// would read escaped — | (a cell border), < > & (tags, entities), [ ] (links
// and images), ` (code), * and $ (emphasis, math), \ itself — so a host
// named "a|<b>x</b>" shows as that text, in its own cell.
func mdCell(s string) string {
	s = EscapeTerm(strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s))
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '|', '\\', '`', '*', '[', ']', '$':
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// mdCode is s as a code span in a table cell when it can be one (no
// backtick, no cell border, nothing to escape), else as mdCell text.
func mdCode(s string) string {
	if EscapeTerm(s) == s && !strings.ContainsAny(s, "`|\n\r\\") {
		return "`" + s + "`"
	}
	return mdCell(s)
}

// EscapeProperty escapes a workflow command property value.
func EscapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// GitHub prints one workflow command per finding (error, warning, notice by
// severity) followed by the plain path:line:col line, so the log keeps file
// and line when GitHub drops annotations past its limit. prefix is the
// checked directory relative to the repository root ("" at the root).
//
// Every value is escaped by GitHub's workflow-command rules, and so is the
// plain line, which GitHub would otherwise read as a command of its own
// when it starts with "::" (a file named "::error file=x::y") or holds a
// newline. Control characters come out as Term prints them.
func GitHub(out io.Writer, prefix string, fs []rules.Finding) error {
	bw := bufio.NewWriter(out)
	b := NewTerm(bw)
	for _, f := range fs {
		cmd := map[rules.Severity]string{rules.Error: "error", rules.Warning: "warning", rules.Info: "notice"}[f.Severity]
		file := repoPath(prefix, f.At.File)
		props := []string{"file=" + EscapeProperty(file)}
		if f.At.Line > 0 {
			props = append(props, fmt.Sprintf("line=%d", f.At.Line), fmt.Sprintf("col=%d", f.At.Column))
			if f.At.EndLine > 0 {
				props = append(props, fmt.Sprintf("endLine=%d", f.At.EndLine))
				if f.At.EndLine == f.At.Line {
					props = append(props, fmt.Sprintf("endColumn=%d", f.At.EndColumn))
				}
			}
		}
		props = append(props, "title="+EscapeProperty(f.Rule))
		msg := f.Message
		for _, r := range f.Related {
			msg += fmt.Sprintf("\n%s:%d:%d: %s", repoPath(prefix, r.At.File), r.At.Line, r.At.Column, r.Message)
		}
		if _, err := fmt.Fprintf(b, "::%s %s::%s\n", cmd, strings.Join(props, ","), escapeData(msg)); err != nil {
			return err
		}
		if _, err := fmt.Fprintf(b, "%s\n", PlainLogLine(fmt.Sprintf("%s:%d:%d: %s (%s)", file, f.At.Line, f.At.Column, f.Message, f.Rule))); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// PlainLogLine makes s one line of a GitHub Actions log that GitHub reads as
// nothing but text: %, CR and LF escaped as in a command's data, a leading
// "::" (after white space, which GitHub skips) broken as "%3A:", and the old
// "##[" command form as "##%5B".
func PlainLogLine(s string) string {
	s = strings.ReplaceAll(escapeData(s), "##[", "##%5B")
	trimmed := strings.TrimLeft(s, " \t")
	if strings.HasPrefix(trimmed, "::") {
		s = s[:len(s)-len(trimmed)] + "%3A" + trimmed[1:]
	}
	return s
}

// StepSummary appends a Markdown table of every finding (and extra
// Markdown, such as the fleet graph) to $GITHUB_STEP_SUMMARY, if set.
func StepSummary(prefix string, fs []rules.Finding, extra string) error {
	p := os.Getenv("GITHUB_STEP_SUMMARY")
	if p == "" {
		return nil
	}
	var b strings.Builder
	b.WriteString("## nixbuild-lint\n\n")
	if len(fs) == 0 {
		b.WriteString("No findings.\n")
	} else {
		counts := map[string]int{}
		for _, f := range fs {
			counts[f.Severity.String()]++
		}
		var parts []string
		for _, s := range []string{"error", "warning", "info"} {
			if counts[s] > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", counts[s], s))
			}
		}
		sort.Strings(parts)
		fmt.Fprintf(&b, "%s\n\n| severity | rule | host | location | message |\n|---|---|---|---|---|\n", strings.Join(parts, ", "))
		for _, f := range fs {
			fmt.Fprintf(&b, "| %s | `%s` | %s | %s | %s |\n", f.Severity, f.Rule, mdCell(f.Host),
				mdCode(fmt.Sprintf("%s:%d:%d", repoPath(prefix, f.At.File), f.At.Line, f.At.Column)), mdCell(f.Message))
		}
	}
	if extra != "" {
		b.WriteString("\n" + extra)
	}
	fh, err := os.OpenFile(p, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("GITHUB_STEP_SUMMARY: %w", err)
	}
	if _, err := io.WriteString(NewTerm(fh), b.String()); err != nil {
		_ = fh.Close()
		return fmt.Errorf("GITHUB_STEP_SUMMARY: %w", err)
	}
	return fh.Close()
}
