package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nixbuild-lint/nixbuild-lint/report"
	"github.com/santhosh-tekuri/jsonschema/v6"
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

// TestRDJSON: --format rdjson validates against reviewdog's own JSON
// schema (proto/rdf/jsonschema in its module), and the real reviewdog
// reads it and prints every finding and suggestion; a fix in another file
// than its finding is a diagnostic at the edited line.
func TestRDJSON(t *testing.T) {
	out, _, code := runCLI("--format", "rdjson", filepath.Join(configs, "seed"))
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	modDir, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/reviewdog/reviewdog@v0.21.3").Output()
	if err != nil || strings.TrimSpace(string(modDir)) == "" {
		t.Fatalf("reviewdog's module is not downloaded (scripts/test.sh downloads it): %v", err)
	}
	c := jsonschema.NewCompiler()
	sch, err := c.Compile(filepath.Join(strings.TrimSpace(string(modDir)), "proto/rdf/jsonschema/DiagnosticResult.json"))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(doc); err != nil {
		t.Errorf("rdjson output does not validate: %v", err)
	}
	var parsed struct {
		Diagnostics []struct {
			Location struct {
				Path string `json:"path"`
			} `json:"location"`
			Code struct {
				Value string `json:"value"`
			} `json:"code"`
			Suggestions []struct {
				Text string `json:"text"`
			} `json:"suggestions"`
		} `json:"diagnostics"`
	}
	if err := json.Unmarshal([]byte(out), &parsed); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range parsed.Diagnostics {
		s := d.Code.Value + "@" + d.Location.Path
		for _, sg := range d.Suggestions {
			s += " +" + strings.TrimSpace(sg.Text)
		}
		got = append(got, s)
	}
	want := []string{
		"no-substitutes-on-builder@testdata/configs/seed/hosts/pi/configuration.nix +nix.settings.builders-use-substitutes = true;",
		"max-jobs-zero-blocks-local@testdata/configs/seed/hosts/pi/configuration.nix",
		"unsupported-system@testdata/configs/seed/hosts/pi/configuration.nix",
		`unsupported-system@testdata/configs/seed/hosts/ritchie/configuration.nix +boot.binfmt.emulatedSystems = [ "aarch64-linux" ];`,
		"cross-compile-alternative@testdata/configs/seed/hosts/pi/configuration.nix",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("diagnostics:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	rd := os.Getenv("NBL_REVIEWDOG")
	if rd == "" {
		if rd, err = exec.LookPath("reviewdog"); err != nil {
			t.Fatal("reviewdog not found (scripts/test.sh installs it and sets NBL_REVIEWDOG)")
		}
	}
	cmd := exec.Command(rd, "-f=rdjson", "-reporter=local", "-filter-mode=nofilter")
	cmd.Dir = "../.."
	cmd.Stdin = strings.NewReader(out)
	printed, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("reviewdog: %v\n%s", err, printed)
	}
	text := string(printed)
	if n := strings.Count(strings.TrimSpace(text), "\n") + 1; n != len(want) || !strings.HasPrefix(text, "message:") {
		t.Errorf("reviewdog printed %d diagnostics, want %d:\n%s", n, len(want), text)
	}
	for _, s := range []string{"builders-use-substitutes = true;", `boot.binfmt.emulatedSystems = [ \"aarch64-linux\" ];`, "code:{value:\"unsupported-system\""} {
		if !strings.Contains(text, s) {
			t.Errorf("reviewdog output lacks %s:\n%s", s, text)
		}
	}
}
