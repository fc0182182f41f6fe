package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/nixbuild-lint/nixbuild-lint/report"
)

func TestFormatsGolden(t *testing.T) {
	seed := filepath.Join(configs, "seed")
	summary := filepath.Join(t.TempDir(), "summary.md")
	t.Setenv("GITHUB_STEP_SUMMARY", summary)
	t.Setenv("GITHUB_WORKSPACE", "")
	gh, _, code := runCLI("--format", "github", seed)
	if code != 1 {
		t.Errorf("github: exit %d", code)
	}
	golden(t, "seed.github", gh)
	sum, err := os.ReadFile(summary)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "seed.summary.md", string(sum))
	sarif, _, _ := runCLI("--format", "sarif", seed)
	golden(t, "seed.sarif", sarif)
	mm, _, code := runCLI("graph", seed)
	if code != 0 {
		t.Errorf("graph: exit %d", code)
	}
	golden(t, "seed.mmd", mm)
	dot, _, _ := runCLI("graph", "--format", "dot", seed)
	golden(t, "seed.dot", dot)
	fixed := copyFleet(t, "seed")
	runCLI("--fix", fixed)
	after, _, _ := runCLI("graph", fixed)
	golden(t, "seed.fixed.mmd", after)
}

func TestGitHubEscaping(t *testing.T) {
	if got := escapeCheck("a%b\nc:d,e"); got != "a%25b%0Ac%3Ad%2Ce" {
		t.Errorf("property escaping: %s", got)
	}
}

// TestSARIFSchema validates the SARIF output against the SARIF 2.1.0 JSON
// schema (testdata/sarif/, fetched by scripts/test.sh).
func TestSARIFSchema(t *testing.T) {
	schemaPath := "../../testdata/sarif/sarif-2.1.0.json"
	if _, err := os.Stat(schemaPath); err != nil {
		t.Fatalf("SARIF schema missing (scripts/test.sh fetches it): %v", err)
	}
	c := jsonschema.NewCompiler()
	sch, err := c.Compile(schemaPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"seed", "unsupported-feature", "clean"} {
		out, _, _ := runCLI("--format", "sarif", filepath.Join(configs, name))
		doc, err := jsonschema.UnmarshalJSON(strings.NewReader(out))
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(doc); err != nil {
			t.Errorf("%s: SARIF output does not validate: %v", name, err)
		}
		var parsed struct {
			Runs []struct {
				Results []json.RawMessage `json:"results"`
			} `json:"runs"`
		}
		if err := json.Unmarshal([]byte(out), &parsed); err != nil || len(parsed.Runs) != 1 {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestDotAcceptedByGraphviz(t *testing.T) {
	dotBin, err := exec.LookPath("dot")
	if err != nil {
		t.Fatal("Graphviz dot not found (scripts/test.sh installs graphviz)")
	}
	for _, name := range fleets(t) {
		out, _, _ := runCLI("graph", "--format", "dot", filepath.Join(configs, name))
		cmd := exec.Command(dotBin, "-Tsvg")
		cmd.Stdin = strings.NewReader(out)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		svg, err := cmd.Output()
		if err != nil || !bytes.Contains(svg, []byte("<svg")) {
			t.Errorf("%s: dot rejected the graph: %v %s\n%s", name, err, stderr.String(), out)
		}
	}
}

func escapeCheck(s string) string { return report.EscapeProperty(s) }
