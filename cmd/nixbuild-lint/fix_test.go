package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nixbuild-lint/nixbuild-lint/fixer"
)

// copyFleet copies a fixture fleet into a temporary directory.
func copyFleet(t *testing.T, name string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), name)
	src := filepath.Join(configs, name)
	err := filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if info.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, info.Mode().Perm())
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// snapshot reads every file of a tree.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[rel] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

var fixable = []string{
	"seed", "unsupported-system", "no-builder-for-system", "chained-fix", "distributed-builds-disabled",
	"untrusted-builder-user", "unsupported-feature", "invalid-system", "builder-ssh-disabled",
	"zero-max-jobs", "emulating-own-system", "flake-parts-fleet", "extended-lib-fleet", "ssh-alias-user",
	"shared-client-module", "merge-like-nixos", "fix-placement", "haumea-fleet", "nixos-unified-fleet",
	"clan-fleet", "clan-flake-parts",
	"lite-config-fleet", "client-key-not-authorized", "client-key-ref", "client-root-key-by-comment",
	"system-features-replaced", "extra-platforms-without-emulation", "evalmodules-nixos-fleet",
}

// TestFixGolden: --diff prints the golden diff and writes nothing; git
// apply of that diff gives exactly what --fix writes; afterwards the fleet
// has no errors and a second --fix changes nothing.
func TestFixGolden(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatal("git is needed to check that the diffs apply")
	}
	for _, name := range fixable {
		t.Run(name, func(t *testing.T) {
			viaDiff := copyFleet(t, name)
			before := snapshot(t, viaDiff)
			diff, errOut, code := runCLI("--diff", viaDiff)
			if code != 1 || errOut != "" {
				t.Fatalf("--diff exit %d, stderr %q", code, errOut)
			}
			golden(t, name+".diff", diff)
			if after := snapshot(t, viaDiff); !equalMaps(before, after) {
				t.Fatal("--diff changed files")
			}
			cmd := exec.Command("git", "apply", "--unsafe-paths", "-")
			cmd.Dir = viaDiff
			cmd.Stdin = strings.NewReader(diff)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("git apply: %v\n%s", err, out)
			}

			viaFix := copyFleet(t, name)
			beforeHosts := hostModels(t, viaFix)
			out, errOut, code := runCLI("--color", "never", "--fix", viaFix)
			if errOut != "" || code == 2 {
				t.Fatalf("--fix exit %d, stderr %q, stdout %s", code, errOut, out)
			}
			if !equalMaps(snapshot(t, viaDiff), snapshot(t, viaFix)) {
				t.Error("git apply of --diff and --fix give different files")
			}
			// Exit 1 at --fail-level error: an error is left (an info's
			// message may quote Nix's "Exec format error").
			if check, _, code := runCLI("--color", "never", "--fail-level", "error", viaFix); code != 0 {
				t.Errorf("errors remain after --fix:\n%s", check)
			}
			// Hosts whose files the fix did not touch read exactly as before.
			changed := map[string]bool{}
			for f, content := range snapshot(t, viaFix) {
				if before[f] != content {
					changed[filepath.ToSlash(f)] = true
				}
			}
			for name, h := range hostModels(t, viaFix) {
				touched := false
				for _, f := range h.files {
					touched = touched || changed[f]
				}
				if !touched && h.json != beforeHosts[name].json {
					t.Errorf("host %s changed although none of its files did", name)
				}
			}
			fixed := snapshot(t, viaFix)
			again, _, _ := runCLI("--fix", viaFix)
			if !equalMaps(fixed, snapshot(t, viaFix)) {
				t.Errorf("a second --fix changed files:\n%s", again)
			}
			if d, _, code := runCLI("--diff", viaFix); d != "" || code == 2 {
				t.Errorf("--diff after --fix (exit %d):\n%s", code, d)
			}
		})
	}
}

type hostModel struct {
	files []string
	json  string
}

// hostModels reads every host's model, as `hosts --format json` prints it.
func hostModels(t *testing.T, dir string) map[string]hostModel {
	t.Helper()
	out, _, code := runCLI("hosts", "--format", "json", dir)
	if code != 0 {
		t.Fatalf("hosts: exit %d", code)
	}
	var doc struct {
		Hosts []json.RawMessage `json:"hosts"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	models := map[string]hostModel{}
	for _, raw := range doc.Hosts {
		var h struct {
			Name  string   `json:"name"`
			Files []string `json:"files"`
		}
		if err := json.Unmarshal(raw, &h); err != nil {
			t.Fatal(err)
		}
		models[h.Name] = hostModel{files: h.Files, json: string(raw)}
	}
	return models
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestFixSummary(t *testing.T) {
	dir := copyFleet(t, "chained-fix")
	out, _, code := runCLI("--color", "never", "--fix", dir)
	want := "hosts/pi.nix: no-builder-for-system: send aarch64-linux builds to laptop\n" +
		"hosts/laptop.nix: unsupported-system: emulate aarch64-linux on laptop\n"
	// Then the findings that remain: advice (info) is not applied unless
	// --fail-level info asks for it, and does not fail the run.
	if code != 0 || !strings.HasPrefix(out, want) || !strings.HasSuffix(out, "2 infos (max-jobs-zero-blocks-local: 1, no-substitutes-on-builder: 1) (read statically)\n") {
		t.Errorf("exit %d, output:\n%s\nwant it to start with:\n%s", code, out, want)
	}
	verbose, _, _ := runCLI("--fix", "-v", copyFleet(t, "seed"))
	if !strings.Contains(verbose, "+  boot.binfmt.emulatedSystems = [ \"aarch64-linux\" ];") {
		t.Errorf("-v lacks the diff:\n%s", verbose)
	}
}

func TestFixRefusesSharedModule(t *testing.T) {
	dir := copyFleet(t, "shared-builder-module")
	before := snapshot(t, dir)
	out, _, code := runCLI("--color", "never", "--fix", dir)
	if code != 1 || !strings.Contains(out, "not fixed (unsupported-system): cannot edit boot.binfmt.emulatedSystems on b1: modules/builder.nix:3:3 is shared by hosts b1, b2") {
		t.Errorf("exit %d:\n%s", code, out)
	}
	if !equalMaps(before, snapshot(t, dir)) {
		t.Error("files changed")
	}
}

func TestFixSafety(t *testing.T) {
	t.Run("read-only file", func(t *testing.T) {
		dir := copyFleet(t, "seed")
		target := filepath.Join(dir, "hosts/ritchie/configuration.nix")
		if err := os.Chmod(target, 0o444); err != nil {
			t.Fatal(err)
		}
		before := snapshot(t, dir)
		_, errOut, code := runCLI("--fix", dir)
		if code != 2 || errOut != "nixbuild-lint: hosts/ritchie/configuration.nix is read-only; nothing written\n" {
			t.Errorf("exit %d, stderr %q", code, errOut)
		}
		if !equalMaps(before, snapshot(t, dir)) {
			t.Error("files changed")
		}
	})
	t.Run("file that does not parse", func(t *testing.T) {
		dir := copyFleet(t, "seed")
		bad := filepath.Join(dir, "hosts/pi/configuration.nix")
		if err := os.WriteFile(bad, []byte("{ nix.settings = ; }\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		before := snapshot(t, dir)
		_, errOut, code := runCLI("--fix", dir)
		if code != 2 || !strings.Contains(errOut, "hosts/pi/configuration.nix:1: syntax error") {
			t.Errorf("exit %d, stderr %q", code, errOut)
		}
		if !equalMaps(before, snapshot(t, dir)) {
			t.Error("files changed")
		}
	})
	t.Run("file changed during the run", func(t *testing.T) {
		dir := copyFleet(t, "chained-fix")
		target := filepath.Join(dir, "hosts/laptop.nix")
		restore := fixer.SetBeforeWrite(func() {
			// Someone saves the file in an editor between check and write.
			_ = os.WriteFile(target, []byte("{ ... }:\n{\n  services.openssh.enable = false;\n}\n"), 0o644)
		})
		defer restore()
		_, errOut, code := runCLI("--fix", dir)
		if code != 2 || !strings.Contains(errOut, "changed on disk since it was read; nothing written") {
			t.Errorf("exit %d, stderr %q", code, errOut)
		}
		pi, _ := os.ReadFile(filepath.Join(dir, "hosts/pi.nix"))
		orig, _ := os.ReadFile(filepath.Join(configs, "chained-fix/hosts/pi.nix"))
		if string(pi) != string(orig) {
			t.Error("hosts/pi.nix was written although another file of the fix failed")
		}
		leftovers, _ := filepath.Glob(filepath.Join(dir, "hosts", ".*nixbuild-lint*"))
		if len(leftovers) > 0 {
			t.Errorf("temporary files left: %v", leftovers)
		}
	})
	t.Run("symlink out of the tree", func(t *testing.T) {
		dir := copyFleet(t, "seed")
		outside := filepath.Join(t.TempDir(), "ritchie.nix")
		target := filepath.Join(dir, "hosts/ritchie/configuration.nix")
		data, _ := os.ReadFile(target)
		if err := os.WriteFile(outside, data, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Remove(target); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(outside, target); err != nil {
			t.Fatal(err)
		}
		// The reader does not follow the link (the host cannot be read), so
		// there is nothing to write there; the fixer would refuse too.
		out, errOut, code := runCLI("--fix", dir)
		if code != 1 || !strings.Contains(out, "host ritchie cannot be read: hosts/ritchie/configuration.nix: a symlink out of the tree") {
			t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
		}
		if got, _ := os.ReadFile(outside); string(got) != string(data) {
			t.Error("the file outside the tree was changed")
		}
	})
}

// TestDiffSaysWhatItCannotFix: a finding whose fix the fixer refuses is
// not counted as fixable, --diff prints no patch for it and says why on
// stderr, and the text output says why under the finding.
func TestDiffSaysWhatItCannotFix(t *testing.T) {
	dir := filepath.Join(configs, "shared-builder-module")
	out, errOut, code := runCLI("--diff", dir)
	want := "nixbuild-lint: flake.nix:21:82: not fixed (unsupported-system): cannot edit boot.binfmt.emulatedSystems on b1: modules/builder.nix:3:3 is shared by hosts b1, b2\n"
	if out != "" || errOut != want || code != 0 {
		t.Errorf("exit %d, stdout %q, stderr:\n%s\nwant:\n%s", code, out, errOut, want)
	}
	text, _, _ := runCLI("--color", "never", dir)
	if !strings.Contains(text, "    not fixed by --fix: cannot edit boot.binfmt.emulatedSystems on b1") || strings.Contains(text, "fixable with --fix") {
		t.Errorf("text output:\n%s", text)
	}
}
