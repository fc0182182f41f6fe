package report

import (
	"io"
	"strings"

	"github.com/nixbuild-lint/nixbuild-lint/rules"
)

// RuleDocURL is where a rule's page lives.
func RuleDocURL(name string) string {
	return "https://github.com/nixbuild-lint/nixbuild-lint/blob/main/docs/rules/" + name + ".md"
}

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool    sarifTool     `json:"tool"`
	Results []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifRule struct {
	ID               string    `json:"id"`
	Name             string    `json:"name"`
	ShortDescription sarifText `json:"shortDescription"`
	FullDescription  sarifText `json:"fullDescription"`
	HelpURI          string    `json:"helpUri"`
	DefaultConfig    struct {
		Level string `json:"level"`
	} `json:"defaultConfiguration"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
	EndLine     int `json:"endLine,omitempty"`
	EndColumn   int `json:"endColumn,omitempty"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           sarifRegion   `json:"region"`
}

type sarifLocation struct {
	ID               *int          `json:"id,omitempty"`
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
	Message          *sarifText    `json:"message,omitempty"`
}

type sarifReplacement struct {
	DeletedRegion   sarifRegion `json:"deletedRegion"`
	InsertedContent sarifText   `json:"insertedContent"`
}

type sarifChange struct {
	ArtifactLocation sarifArtifact      `json:"artifactLocation"`
	Replacements     []sarifReplacement `json:"replacements"`
}

type sarifFix struct {
	Description     sarifText     `json:"description"`
	ArtifactChanges []sarifChange `json:"artifactChanges"`
}

type sarifResult struct {
	RuleID           string          `json:"ruleId"`
	RuleIndex        int             `json:"ruleIndex"`
	Level            string          `json:"level"`
	Message          sarifText       `json:"message"`
	Locations        []sarifLocation `json:"locations"`
	RelatedLocations []sarifLocation `json:"relatedLocations,omitempty"`
	Fixes            []sarifFix      `json:"fixes,omitempty"`
}

func sarifLevel(s rules.Severity) string {
	return map[rules.Severity]string{rules.Error: "error", rules.Warning: "warning", rules.Info: "note"}[s]
}

// SARIF writes findings as a SARIF 2.1.0 log with the full rule catalogue;
// prefix is the checked directory relative to the repository root.
func SARIF(w io.Writer, prefix string, fs []rules.Finding, fixes map[int][]JSONFix) error {
	all := rules.All()
	index := map[string]int{}
	driver := sarifDriver{Name: "nixbuild-lint", Version: Version(), InformationURI: "https://github.com/nixbuild-lint/nixbuild-lint", Rules: []sarifRule{}}
	for i, r := range all {
		index[r.Name] = i
		sr := sarifRule{ID: r.Name, Name: r.Code, ShortDescription: sarifText{r.Title}, FullDescription: sarifText{r.Why}, HelpURI: RuleDocURL(r.Name)}
		sr.DefaultConfig.Level = sarifLevel(r.Severity)
		driver.Rules = append(driver.Rules, sr)
	}
	run := sarifRun{Tool: sarifTool{Driver: driver}, Results: []sarifResult{}}
	for i, f := range fs {
		res := sarifResult{RuleID: f.Rule, RuleIndex: index[f.Rule], Level: sarifLevel(f.Severity), Message: sarifText{f.Message}}
		res.Locations = []sarifLocation{{PhysicalLocation: sarifPhysical{
			ArtifactLocation: sarifArtifact{URI: sarifURI(prefix, f.At.File)},
			Region:           region(f.At.Line, f.At.Column, f.At.EndLine, f.At.EndColumn),
		}}}
		for j, r := range f.Related {
			id := j + 1
			res.RelatedLocations = append(res.RelatedLocations, sarifLocation{ID: &id, Message: &sarifText{r.Message}, PhysicalLocation: sarifPhysical{
				ArtifactLocation: sarifArtifact{URI: sarifURI(prefix, r.At.File)},
				Region:           region(r.At.Line, r.At.Column, 0, 0),
			}})
		}
		for _, fx := range fixes[i] {
			sf := sarifFix{Description: sarifText{fx.Message}}
			byFile := map[string]int{}
			for _, e := range fx.Edits {
				uri := sarifURI(prefix, e.File)
				k, ok := byFile[uri]
				if !ok {
					k = len(sf.ArtifactChanges)
					byFile[uri] = k
					sf.ArtifactChanges = append(sf.ArtifactChanges, sarifChange{ArtifactLocation: sarifArtifact{URI: uri}})
				}
				sf.ArtifactChanges[k].Replacements = append(sf.ArtifactChanges[k].Replacements, sarifReplacement{
					DeletedRegion:   sarifRegion{StartLine: e.Range.Start.Line, StartColumn: e.Range.Start.Column, EndLine: e.Range.End.Line, EndColumn: e.Range.End.Column},
					InsertedContent: sarifText{e.NewText},
				})
			}
			if len(sf.ArtifactChanges) > 0 {
				res.Fixes = append(res.Fixes, sf)
			}
		}
		run.Results = append(run.Results, res)
	}
	return WriteJSON(w, sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0", Runs: []sarifRun{run}})
}

func region(l, c, el, ec int) sarifRegion {
	if l < 1 {
		l = 1
	}
	r := sarifRegion{StartLine: l, StartColumn: c}
	if el >= l && ec > 0 {
		r.EndLine, r.EndColumn = el, ec
	}
	return r
}

// sarifURI is a SARIF artifact URI: relative to the repository root, or a
// file: URI for a place outside it (an input in the Nix store).
func sarifURI(prefix, file string) string {
	p := repoPath(prefix, file)
	if strings.HasPrefix(p, "/") {
		return "file://" + p
	}
	return p
}
