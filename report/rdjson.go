package report

import (
	"io"
	"strings"

	"github.com/nixbuild-lint/nixbuild-lint/model"
	"github.com/nixbuild-lint/nixbuild-lint/rules"
)

// rdjson is reviewdog's Diagnostic Format (rdjson), written from the
// format's JSON schema: a result holds diagnostics with a location, a
// severity, a code and suggestions (replacement text for a range of the
// diagnostic's own file). reviewdog posts suggestions as one-click changes
// on the lines they touch, so the edits of a fix that fall in another file
// (the builder's, for a finding on the client's line) are diagnostics of
// their own at the edited place, carrying the suggestion.
type rdResult struct {
	Source      rdSource       `json:"source"`
	Diagnostics []rdDiagnostic `json:"diagnostics"`
}

type rdSource struct {
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
}

type rdDiagnostic struct {
	Message          string         `json:"message"`
	Location         rdLocation     `json:"location"`
	Severity         string         `json:"severity"`
	Source           rdSource       `json:"source"`
	Code             rdCode         `json:"code"`
	Suggestions      []rdSuggestion `json:"suggestions,omitempty"`
	RelatedLocations []rdRelated    `json:"related_locations,omitempty"`
}

type rdLocation struct {
	Path  string   `json:"path"`
	Range *rdRange `json:"range,omitempty"`
}

type rdRange struct {
	Start rdPos  `json:"start"`
	End   *rdPos `json:"end,omitempty"`
}

type rdPos struct {
	Line   int `json:"line"`
	Column int `json:"column,omitempty"`
}

type rdCode struct {
	Value string `json:"value"`
	URL   string `json:"url,omitempty"`
}

type rdSuggestion struct {
	Range rdRange `json:"range"`
	Text  string  `json:"text"`
}

type rdRelated struct {
	Message  string     `json:"message"`
	Location rdLocation `json:"location"`
}

func rdSeverity(s rules.Severity) string {
	switch s {
	case rules.Error:
		return "ERROR"
	case rules.Warning:
		return "WARNING"
	}
	return "INFO"
}

func rdLoc(prefix string, l model.Loc) rdLocation {
	loc := rdLocation{Path: repoPath(prefix, l.File)}
	if l.Line > 0 {
		r := &rdRange{Start: rdPos{Line: l.Line, Column: l.Column}}
		if l.EndLine > 0 {
			r.End = &rdPos{Line: l.EndLine, Column: l.EndColumn}
		}
		loc.Range = r
	}
	return loc
}

// RDJSON writes findings as one rdjson result; prefix is the checked
// directory relative to the repository root (paths are the repository's,
// as reviewdog diffs them). fixes are the findings' planned fixes.
func RDJSON(w io.Writer, prefix string, fs []rules.Finding, fixes map[int][]JSONFix) error {
	src := rdSource{Name: "nixbuild-lint", URL: "https://github.com/nixbuild-lint/nixbuild-lint"}
	out := rdResult{Source: src, Diagnostics: []rdDiagnostic{}}
	for i, f := range fs {
		d := rdDiagnostic{Message: f.Message, Location: rdLoc(prefix, f.At), Severity: rdSeverity(f.Severity),
			Source: rdSource{Name: "nixbuild-lint"}, Code: rdCode{Value: f.Rule, URL: RuleDocURL(f.Rule)}}
		for _, r := range f.Related {
			d.RelatedLocations = append(d.RelatedLocations, rdRelated{Message: r.Message, Location: rdLoc(prefix, r.At)})
		}
		var elsewhere []rdDiagnostic
		if fx := fixes[i]; len(fx) > 0 {
			// The first fix: alternatives cannot all be applied.
			for _, e := range fx[0].Edits {
				s := rdSuggestion{Text: e.NewText, Range: rdRange{
					Start: rdPos{Line: e.Range.Start.Line, Column: e.Range.Start.Column},
					End:   &rdPos{Line: e.Range.End.Line, Column: e.Range.End.Column}}}
				if e.File == f.At.File {
					d.Suggestions = append(d.Suggestions, s)
					continue
				}
				elsewhere = append(elsewhere, rdDiagnostic{
					Message:  strings.TrimSpace(fx[0].Message) + " (the fix of: " + f.Message + ")",
					Location: rdLocation{Path: repoPath(prefix, e.File), Range: &rdRange{Start: s.Range.Start, End: s.Range.End}},
					Severity: rdSeverity(f.Severity), Source: rdSource{Name: "nixbuild-lint"},
					Code: rdCode{Value: f.Rule, URL: RuleDocURL(f.Rule)}, Suggestions: []rdSuggestion{s}})
			}
		}
		out.Diagnostics = append(out.Diagnostics, d)
		out.Diagnostics = append(out.Diagnostics, elsewhere...)
	}
	return WriteJSON(w, out)
}
