package check

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nixbuild-lint/nixbuild-lint/internal/standin"
	"github.com/nixbuild-lint/nixbuild-lint/nixeval"
	"github.com/nixbuild-lint/nixbuild-lint/report"
	"github.com/nixbuild-lint/nixbuild-lint/rules"
)

const configs = "../testdata/configs"

// findingLines is one line a finding: where, severity, rule, hosts, and
// its fixes as edits (file:line:col +"new text").
func findingLines(res Result) []string {
	var out []string
	for i, f := range res.Findings {
		line := fmt.Sprintf("%s %s %s %s", f.At, f.Severity, f.Rule, strings.Join(f.Hosts, ","))
		for _, fx := range res.Fixes[i] {
			line += " | " + fx.Message + ":"
			for _, e := range fx.Edits {
				line += fmt.Sprintf(" %s:%d:%d+%q", e.File, e.Range.Start.Line, e.Range.Start.Column, e.NewText)
			}
		}
		if why := res.NotFixed[i]; why != "" {
			line += " | not fixed: " + why
		}
		out = append(out, line)
	}
	return out
}

func sameLines(t *testing.T, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// copyFleet copies a fixture fleet into a temporary directory, so a fix
// can write.
func copyFleet(t *testing.T, name string) string {
	t.Helper()
	dir := t.TempDir()
	if out, err := exec.Command("cp", "-r", filepath.Join(configs, name)+"/.", dir).CombinedOutput(); err != nil {
		t.Fatalf("%v %s", err, out)
	}
	return dir
}

// TestRunFindings: one check of a fixture fleet returns its merged
// findings, each with its fixes planned as edits (1-based positions).
func TestRunFindings(t *testing.T) {
	var verbose bytes.Buffer
	res, err := Run(context.Background(), Options{Root: filepath.Join(configs, "chained-fix"), Eval: "static", Verbose: &verbose})
	if err != nil {
		t.Fatal(err)
	}
	sameLines(t, findingLines(res), []string{
		`hosts/pi.nix:4:5 info no-substitutes-on-builder pi | let pi's builders use substitutes: hosts/pi.nix:5:27+"\n    settings.builders-use-substitutes = true;"`,
		`hosts/pi.nix:5:5 error no-builder-for-system pi | send aarch64-linux builds to laptop: hosts/pi.nix:10:25+"\n          \"aarch64-linux\""`,
		`hosts/pi.nix:5:5 info max-jobs-zero-blocks-local pi`,
	})
	if res.Fleet.Eval != "static" || len(res.Fleet.Hosts) != 2 {
		t.Errorf("read %s, %d hosts", res.Fleet.Eval, len(res.Fleet.Hosts))
	}
	if abs, _ := filepath.Abs(filepath.Join(configs, "chained-fix")); res.Root != abs {
		t.Errorf("root %s, want %s", res.Root, abs)
	}
	if got := verbose.String(); got != "nixbuild-lint: read statically (--eval static)\n" {
		t.Errorf("verbose: %q", got)
	}
}

// TestRunMergedFixes: a problem of a module shared by three clients is one
// finding; its fix joins the three hosts' edits, and a fix all three need
// on their one builder is one edit.
func TestRunMergedFixes(t *testing.T) {
	res, err := Run(context.Background(), Options{Root: filepath.Join(configs, "shared-client-module"), Eval: "static"})
	if err != nil {
		t.Fatal(err)
	}
	sub := `"\n  nix.settings.builders-use-substitutes = true;"`
	sameLines(t, findingLines(res), []string{
		`modules/remote-builders.nix:3:3 info no-substitutes-on-builder pi1,pi2,pi3 | let pi1's builders use substitutes; let pi2's builders use substitutes; let pi3's builders use substitutes:` +
			` hosts/pi1/configuration.nix:4:33+` + sub + ` hosts/pi2/configuration.nix:4:33+` + sub + ` hosts/pi3/configuration.nix:4:33+` + sub,
		`modules/remote-builders.nix:7:34 error unsupported-system pi1,pi2,pi3 | emulate aarch64-linux on hub: hosts/hub/configuration.nix:10:33+"\n  boot.binfmt.emulatedSystems = [ \"aarch64-linux\" ];"`,
		`modules/remote-builders.nix:7:34 info cross-compile-alternative pi1,pi2,pi3`,
		`modules/remote-builders.nix:12:3 info max-jobs-zero-blocks-local pi1,pi2,pi3`,
	})
}

// TestRunFix: with Fix the fixes are applied in memory and the fleet read
// again (a fix can uncover another: chained-fix needs two rounds); without
// Write nothing changes on disk, with Write the files are what the diff
// says, and the fleet that remains has no fixable error left.
func TestRunFix(t *testing.T) {
	dir := copyFleet(t, "chained-fix")
	before, _ := os.ReadFile(filepath.Join(dir, "hosts/pi.nix"))
	opts := Options{Root: dir, Eval: "static", FailLevel: rules.Warning, Fix: true}
	res, err := Run(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("../testdata/golden/chained-fix.diff")
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Fix.Diff(); got != string(want) {
		t.Errorf("diff:\n%s\nwant\n%s", got, want)
	}
	if after, _ := os.ReadFile(filepath.Join(dir, "hosts/pi.nix")); string(after) != string(before) {
		t.Errorf("Fix without Write changed hosts/pi.nix:\n%s", after)
	}
	var applied []string
	for _, a := range res.Fix.Applied {
		applied = append(applied, fmt.Sprintf("%s %s %s: %s", strings.Join(a.Files, ","), a.Rule, a.Host, a.Message))
	}
	sameLines(t, applied, []string{
		"hosts/pi.nix no-builder-for-system pi: send aarch64-linux builds to laptop",
		"hosts/laptop.nix unsupported-system laptop: emulate aarch64-linux on laptop",
	})

	opts.Write = true
	res, err = Run(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	laptop, _ := os.ReadFile(filepath.Join(dir, "hosts/laptop.nix"))
	if !strings.Contains(string(laptop), "  services.openssh.enable = true;\n  boot.binfmt.emulatedSystems = [ \"aarch64-linux\" ];\n}") {
		t.Errorf("hosts/laptop.nix after the fix:\n%s", laptop)
	}
	pi, _ := os.ReadFile(filepath.Join(dir, "hosts/pi.nix"))
	if !strings.Contains(string(pi), "          \"x86_64-linux\"\n          \"aarch64-linux\"\n        ];") {
		t.Errorf("hosts/pi.nix after the fix:\n%s", pi)
	}
	// What is left is the advice, read from the fixed files.
	var left []string
	for _, f := range res.Findings {
		left = append(left, fmt.Sprintf("%s %s %s", f.At, f.Severity, f.Rule))
	}
	sameLines(t, left, []string{"hosts/pi.nix:4:5 info no-substitutes-on-builder", "hosts/pi.nix:5:5 info max-jobs-zero-blocks-local"})
	// A second run has nothing to change.
	res, err = Run(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if c := res.Fix.Changed(); len(c) != 0 {
		t.Errorf("second fix changes %v", c)
	}
}

// TestRunBadOptions: contradictory options are a UsageError naming the
// flag, before anything is read.
func TestRunBadOptions(t *testing.T) {
	dir := filepath.Join(configs, "chained-fix")
	for _, c := range []struct {
		opts Options
		want string
	}{
		{Options{Root: dir, Eval: "maybe"}, `--eval must be static, nix or auto, not "maybe"`},
		{Options{Root: dir, Eval: "nix", Hosts: []nixeval.HostArg{{Name: "pi", Path: "hosts/pi.nix"}}}, "--eval nix reads flakes; --host needs --eval static"},
	} {
		_, err := Run(context.Background(), c.opts)
		var u UsageError
		if !errors.As(err, &u) || u.Msg != c.want {
			t.Errorf("%+v: %v, want %q", c.opts, err, c.want)
		}
	}
}

// TestFlakeDir: a directory, or the flake.nix in it; anything else is an
// input error naming the path.
func TestFlakeDir(t *testing.T) {
	dir := filepath.Join(configs, "chained-fix")
	for _, c := range []struct{ path, root, err string }{
		{dir, dir, ""},
		{filepath.Join(dir, "flake.nix"), dir, ""},
		{filepath.Join(dir, "hosts/pi.nix"), "", dir + "/hosts/pi.nix: not a flake directory (give the directory holding flake.nix)"},
		{filepath.Join(dir, "nope"), "", dir + "/nope: no such file or directory"},
	} {
		root, err := FlakeDir(c.path)
		msg := ""
		if err != nil {
			msg = err.Error()
		}
		if root != c.root || msg != c.err {
			t.Errorf("FlakeDir(%s) = %q, %q; want %q, %q", c.path, root, msg, c.root, c.err)
		}
	}
}

// TestRunNixCache: with the real nix, the first check evaluates (the live
// status goes to Options.Progress) and keeps the model; the second, on the
// unchanged tree, takes it from the cache, says so, and finds the same.
func TestRunNixCache(t *testing.T) {
	if _, err := exec.LookPath("nix"); err != nil {
		t.Fatal("nix not found (scripts/test.sh installs nix-bin)")
	}
	if testing.Short() {
		t.Skip("evaluates with nix")
	}
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	opts := Options{Root: "../testdata/nix-only/toml-hosts", Eval: "nix", Overrides: []string{"nixpkgs=" + standin.Nixpkgs(t, "..")}}
	var progress, verbose bytes.Buffer
	opts.Progress, opts.Verbose = &progress, &verbose
	first, err := Run(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(progress.String(), "with nix") || !strings.HasSuffix(progress.String(), "\r\033[K") {
		t.Errorf("progress: %q", progress.String())
	}
	progress.Reset()
	second, err := Run(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if got := verbose.String(); got != "nixbuild-lint: read with nix (--eval nix)\n"+
		"nixbuild-lint: read with nix (--eval nix; the model is from the cache, nothing changed since the last evaluation)\n" {
		t.Errorf("verbose:\n%s", got)
	}
	if first.Fleet.Eval != "nix" || len(first.Findings) == 0 {
		t.Fatalf("first: %s, %d findings", first.Fleet.Eval, len(first.Findings))
	}
	sameLines(t, findingLines(second), findingLines(first))
	if !strings.Contains(strings.Join(findingLines(first), "\n"), `hosts/pi.nix:8:34 error unsupported-system pi`) {
		t.Errorf("findings:\n%s", strings.Join(findingLines(first), "\n"))
	}
	// JSON of the two is the same document.
	var a, b bytes.Buffer
	_ = report.WriteJSON(&a, report.ToJSON(first.Fleet.Eval, "", nil, first.Findings, first.Fixes))
	_ = report.WriteJSON(&b, report.ToJSON(second.Fleet.Eval, "", nil, second.Findings, second.Fixes))
	if a.String() != b.String() {
		t.Errorf("cached model reads differently:\n%s\n%s", a.String(), b.String())
	}
}
