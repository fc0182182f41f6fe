package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestPreCommitHook runs the real pre-commit in a throwaway repository that
// uses this repository (at HEAD) as its hook source: the hook fails on the
// seed fleet, showing the finding, and passes on the clean fleet.
func TestPreCommitHook(t *testing.T) {
	pc, err := exec.LookPath("pre-commit")
	if err != nil {
		t.Fatal("pre-commit not found (scripts/test.sh installs the Debian package)")
	}
	top, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	rev, err := exec.Command("git", "-C", top, "rev-parse", "HEAD").Output()
	if err != nil {
		t.Fatalf("this repository has no commit to use as a hook source: %v", err)
	}
	home := t.TempDir()
	nixpkgs, _ := standIns(t)
	for _, c := range []struct {
		fleet, hook, args, want string
		fail                    bool
	}{
		{"seed", "nixbuild-lint", "", "(read statically)", true},
		{"clean", "nixbuild-lint", "", "", false},
		// Evaluated by the real nix (the stand-in nixpkgs on the real lib);
		// the cache itself is tested in TestEvalCache.
		{"seed", "nixbuild-lint-eval", "        args: [--override-input, nixpkgs=" + nixpkgs + "]\n", "(read with nix)", true},
	} {
		t.Run(c.fleet+"-"+c.hook, func(t *testing.T) {
			dir := copyFleet(t, c.fleet)
			config := "repos:\n  - repo: " + top + "\n    rev: " + strings.TrimSpace(string(rev)) + "\n    hooks:\n      - id: " + c.hook + "\n" + c.args
			if err := os.WriteFile(filepath.Join(dir, ".pre-commit-config.yaml"), []byte(config), 0o644); err != nil {
				t.Fatal(err)
			}
			git := func(args ...string) {
				cmd := exec.Command("git", append([]string{"-c", "user.email=test@example.org", "-c", "user.name=test"}, args...)...)
				cmd.Dir = dir
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("git %v: %v\n%s", args, err, out)
				}
			}
			git("init", "-q")
			git("add", "-A")
			git("commit", "-qm", "fleet")
			cmd := exec.Command(pc, "run", "--all-files")
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "PRE_COMMIT_HOME="+home)
			out, err := cmd.CombinedOutput()
			if c.fail {
				if err == nil || !strings.Contains(string(out), "(unsupported-system)") || !strings.Contains(string(out), "Failed") || !strings.Contains(string(out), c.want) {
					t.Errorf("want the hook to fail with the finding, %s:\n%s", c.want, out)
				}
			} else if err != nil || !strings.Contains(string(out), "Passed") {
				t.Errorf("want the hook to pass: %v\n%s", err, out)
			}
		})
	}
}

// TestHookAndActionFiles: the hook file and action.yml parse, and every
// input of the action is used by its steps.
func TestHookAndActionFiles(t *testing.T) {
	var hooks []map[string]any
	data, err := os.ReadFile("../../.pre-commit-hooks.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(data, &hooks); err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, h := range hooks {
		ids[h["id"].(string)] = true
		if h["pass_filenames"] != false || h["files"] != `(\.nix|flake\.lock)$` {
			t.Errorf("hook %v: want pass_filenames false and files (\\.nix|flake\\.lock)$", h["id"])
		}
	}
	if !ids["nixbuild-lint"] || !ids["nixbuild-lint-fix"] || !ids["nixbuild-lint-eval"] {
		t.Errorf("hooks: %v", ids)
	}
	var action struct {
		Name   string
		Inputs map[string]struct {
			Description string
			Default     string
		}
		Runs struct {
			Using string
			Steps []struct {
				Run   string
				Shell string
				Env   map[string]string
			}
		}
	}
	data, err = os.ReadFile("../../action.yml")
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(data, &action); err != nil {
		t.Fatal(err)
	}
	if action.Runs.Using != "composite" || len(action.Inputs) < 5 {
		t.Fatalf("action: %+v", action)
	}
	var steps strings.Builder
	for _, s := range action.Runs.Steps {
		steps.WriteString(s.Run)
		for _, v := range s.Env {
			steps.WriteString(v)
		}
	}
	for name, in := range action.Inputs {
		if in.Description == "" {
			t.Errorf("input %s has no description", name)
		}
		if !strings.Contains(steps.String(), "inputs."+name) {
			t.Errorf("input %s is never used", name)
		}
	}
}

// TestActionRunStep runs the action's lint step with a real bash, as the
// runner would: a pull request from a fork is read statically even where
// Nix could evaluate it, the same repository's with auto (here: Nix); the
// outputs give the number of findings and a SARIF file.
func TestActionRunStep(t *testing.T) {
	var action struct {
		Runs struct {
			Steps []struct {
				ID  string
				Run string
			}
		}
	}
	data, err := os.ReadFile("../../action.yml")
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(data, &action); err != nil {
		t.Fatal(err)
	}
	script := ""
	for _, s := range action.Runs.Steps {
		if s.ID == "lint" {
			script = s.Run
		}
	}
	if script == "" {
		t.Fatal("no step lint")
	}
	for _, s := range []string{"uses: actions/setup-go@", "go-version-file: ${{ github.action_path }}/go.mod", "cache-dependency-path:",
		"value: ${{ steps.lint.outputs.findings }}", "value: ${{ steps.lint.outputs.sarif-file }}"} {
		if !strings.Contains(string(data), s) {
			t.Errorf("action.yml lacks %q", s)
		}
	}
	tmp := t.TempDir()
	if out, err := exec.Command("go", "build", "-o", filepath.Join(tmp, "nixbuild-lint"), ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	nixpkgs, _ := standIns(t)
	seed, _ := filepath.Abs(filepath.Join(configs, "seed"))
	for _, tc := range []struct{ head, want string }{
		{"someone/fork", `"eval": "static"`},
		{"owner/fleet", `"eval": "nix"`},
	} {
		outputs := filepath.Join(tmp, "outputs-"+strings.ReplaceAll(tc.head, "/", "-"))
		cmd := exec.Command("bash", "-c", script)
		cmd.Env = append(os.Environ(), "RUNNER_TEMP="+tmp, "GITHUB_OUTPUT="+outputs,
			"NBL_PATH="+seed, "NBL_EVAL=", "NBL_FAIL_LEVEL=error", "NBL_FORMAT=json",
			"NBL_ARGS=--override-input nixpkgs="+nixpkgs,
			"NBL_EVENT=pull_request", "NBL_HEAD_REPO="+tc.head, "NBL_REPO=owner/fleet")
		out, _ := cmd.Output()
		if !strings.Contains(string(out), tc.want) {
			t.Errorf("%s: want %s in:\n%.300s", tc.head, tc.want, out)
		}
		got, err := os.ReadFile(outputs)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(got), "findings=4\n") || !strings.Contains(string(got), "sarif-file="+filepath.Join(tmp, "nixbuild-lint.sarif")+"\n") {
			t.Errorf("%s: outputs %q", tc.head, got)
		}
	}
}
