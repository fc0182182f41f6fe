package rules

import (
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/nixbuild-lint/nixbuild-lint/internal/treefs"
	"github.com/nixbuild-lint/nixbuild-lint/model"
)

func init() {
	Register(&Rule{
		Name: "unused-suppression", Code: "NBL029", Severity: Warning,
		Title: "A suppression comment suppresses nothing",
		Why: `A "# nixbuild-lint: ignore <rule> -- <reason>" comment that matches no finding is stale: the
problem was fixed, the rule was renamed, or the comment sits on the wrong line. Left in place
it would hide a future finding there without anyone deciding to.`,
		Bad:   "# nixbuild-lint: ignore unsupported-system -- ritchie emulates it now\nnetworking.hostName = \"pi\";",
		Good:  "networking.hostName = \"pi\";",
		Check: func(*Context) []Finding { return nil },
	})
	Register(&Rule{
		Name: "invalid-suppression", Code: "NBL030", Severity: Warning,
		Title: "A suppression comment has no reason or names no rule",
		Why: `Suppressions must say why ("# nixbuild-lint: ignore <rule> -- <reason>"), so the next person
can tell a deliberate exception from a silenced bug. A comment without a reason, or naming an
unknown rule, suppresses nothing.`,
		Bad:   "nix.settings.max-jobs = 0; # nixbuild-lint: ignore max-jobs-zero-blocks-local",
		Good:  "nix.settings.max-jobs = 0; # nixbuild-lint: ignore max-jobs-zero-blocks-local -- the Pi must never build",
		Check: func(*Context) []Finding { return nil },
	})
}

// Options configure a check beyond the rules' defaults.
type Options struct {
	Disabled map[string]bool     // rule names
	Severity map[string]Severity // per-rule overrides
	// ReadFile reads a file of the fleet for its suppression comments
	// (relative path); nil reads it from the fleet's root. The fixer
	// passes the edited contents.
	ReadFile func(rel string) ([]byte, error)
}

// Check runs every enabled rule, applies severity overrides and the
// suppression comments in the fleet's files, and reports stale or invalid
// suppressions.
func Check(f *model.Fleet, opts Options) []Finding {
	var out []Finding
	for _, fd := range Run(f) {
		if opts.Disabled[fd.Rule] {
			continue
		}
		if s, ok := opts.Severity[fd.Rule]; ok {
			fd.Severity = s
		}
		out = append(out, fd)
	}
	out = applySuppressions(f, out, opts)
	sortFindings(out)
	return out
}

var suppressRe = regexp.MustCompile(`#\s*nixbuild-lint:\s*ignore(-file)?\b(.*)$`)

type suppression struct {
	file      string
	line      int // the line it applies to (0: the whole file)
	at        model.Loc
	rules     []string
	reason    string
	used      bool
	malformed string
}

// scanSuppressions reads the suppression comments of one file. A comment
// at the end of a line applies to that line; a comment alone on its line
// applies to the next line that is not blank or a comment; ignore-file
// applies to the whole file.
func scanSuppressions(rel string, data []byte) []*suppression {
	var out []*suppression
	lines := strings.Split(string(data), "\n")
	for i, line := range lines {
		m := suppressRe.FindStringSubmatchIndex(line)
		if m == nil {
			continue
		}
		s := &suppression{file: rel, at: model.Loc{File: rel, Line: i + 1, Column: m[0] + 1}}
		whole := line[m[4]:m[5]]
		ruleText, reason, hasReason := strings.Cut(whole, "--")
		s.reason = strings.TrimSpace(reason)
		s.rules = strings.FieldsFunc(ruleText, func(c rune) bool { return c == ',' || c == ' ' || c == '\t' })
		switch {
		case len(s.rules) == 0:
			s.malformed = "names no rule"
		case !hasReason || s.reason == "":
			s.malformed = "gives no reason (write: # nixbuild-lint: ignore <rule> -- <reason>)"
		}
		for _, r := range s.rules {
			if s.malformed == "" && Lookup(r) == nil {
				s.malformed = fmt.Sprintf("names %q, which is no rule", r)
			}
		}
		switch {
		case m[2] >= 0: // ignore-file
			s.line = 0
		case strings.TrimSpace(line[:m[0]]) != "":
			s.line = i + 1
		default:
			for j := i + 1; j < len(lines); j++ {
				t := strings.TrimSpace(lines[j])
				if t != "" && !strings.HasPrefix(t, "#") {
					s.line = j + 1
					break
				}
			}
		}
		out = append(out, s)
	}
	return out
}

func applySuppressions(f *model.Fleet, fs []Finding, opts Options) []Finding {
	var sups []*suppression
	files := make([]string, 0, len(f.Files))
	for rel := range f.Files {
		files = append(files, rel)
	}
	sort.Strings(files)
	for _, rel := range files {
		var data []byte
		var err error
		switch c, ok := f.Contents[rel]; {
		case opts.ReadFile != nil:
			data, err = opts.ReadFile(rel)
		case ok:
			data = c
		default:
			data, err = treefs.ReadRegular(filepath.Join(f.Root, filepath.FromSlash(rel)), treefs.MaxNixFile)
		}
		if err != nil || !strings.Contains(string(data), "nixbuild-lint:") {
			continue
		}
		sups = append(sups, scanSuppressions(rel, data)...)
	}
	var kept []Finding
	for _, fd := range fs {
		suppressed := false
		for _, s := range sups {
			if s.malformed != "" || s.file != fd.At.File || (s.line != 0 && s.line != fd.At.Line) {
				continue
			}
			for _, r := range s.rules {
				if Lookup(r) != nil && Lookup(r).Name == fd.Rule {
					s.used, suppressed = true, true
				}
			}
		}
		if !suppressed {
			kept = append(kept, fd)
		}
	}
	for _, s := range sups {
		var fd Finding
		switch {
		case s.malformed != "":
			fd = Finding{Rule: "invalid-suppression", At: s.at, Message: "this suppression " + s.malformed + "; it suppresses nothing"}
		case !s.used:
			fd = Finding{Rule: "unused-suppression", At: s.at, Message: fmt.Sprintf("this suppression of %s matches no finding; remove it", strings.Join(s.rules, ", "))}
		default:
			continue
		}
		r := Lookup(fd.Rule)
		if opts.Disabled[r.Name] {
			continue
		}
		fd.Code, fd.Severity, fd.Related = r.Code, r.Severity, []Related{}
		if sev, ok := opts.Severity[r.Name]; ok {
			fd.Severity = sev
		}
		kept = append(kept, fd)
	}
	return kept
}

// Sort orders findings by file, line, column and rule code.
func Sort(out []Finding) { sortFindings(out) }

func sortFindings(out []Finding) {
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].At, out[j].At
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Column != b.Column {
			return a.Column < b.Column
		}
		return out[i].Code < out[j].Code
	})
}
