package treefs

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "user.email=t@t", "-c", "user.name=t"}, args...)...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// TestHostileTrackedMatchesGit: the index read without git lists what
// git ls-files lists, for index versions 2, 3 and 4, a split index and a
// sha256 repository.
func TestHostileTrackedMatchesGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	for _, variant := range []string{"v2", "v3", "v4", "split", "sha256"} {
		dir := t.TempDir()
		if variant == "sha256" {
			git(t, dir, "init", "-q", "--object-format=sha256")
		} else {
			git(t, dir, "init", "-q")
		}
		for _, f := range []string{"flake.nix", "hosts/a.nix", "hosts/b/default.nix", "hosts/b/hardware-configuration.nix",
			"modules/" + strings.Repeat("a-long-directory-name/", 12) + "x.nix", "a b/ü.nix", ".gitignore"} {
			mkfile(t, filepath.Join(dir, f), f)
		}
		mkfile(t, filepath.Join(dir, ".gitignore"), ".env\n")
		mkfile(t, filepath.Join(dir, ".env"), "TOKEN=x")
		mkfile(t, filepath.Join(dir, "untracked.nix"), "{ }")
		if err := os.Symlink("hosts/a.nix", filepath.Join(dir, "link.nix")); err != nil {
			t.Fatal(err)
		}
		git(t, dir, "add", ".gitignore", "flake.nix", "hosts", "modules", "a b", "link.nix")
		git(t, dir, "commit", "-qm", "x")
		switch variant {
		case "v3":
			git(t, dir, "update-index", "--index-version", "3")
			git(t, dir, "update-index", "--skip-worktree", "hosts/a.nix") // an extended entry
		case "v4":
			git(t, dir, "update-index", "--index-version", "4")
		case "split":
			git(t, dir, "update-index", "--split-index")
			mkfile(t, filepath.Join(dir, "hosts/c.nix"), "{ }")
			git(t, dir, "add", "hosts/c.nix")
		}
		top, gitDir, ok := GitWorkTree(filepath.Join(dir, "hosts/b"))
		if !ok || top != dir {
			t.Fatalf("%s: work tree %q %v, want %s", variant, top, ok, dir)
		}
		got, err := TrackedFiles(gitDir)
		if err != nil {
			t.Fatalf("%s: %v", variant, err)
		}
		slices.Sort(got)
		got = slices.Compact(got)
		want := strings.Split(strings.TrimRight(git(t, dir, "-c", "core.quotePath=false", "ls-files"), "\n"), "\n")
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: index lists\n%q\ngit ls-files\n%q", variant, got, want)
		}
	}
}

// TestHostileBogusDotGit: an empty or garbage .git above a directory makes
// no repository of it (and nothing above readable).
func TestHostileBogusDotGit(t *testing.T) {
	for _, content := range []string{"", "garbage", "gitdir: /nonexistent"} {
		dir := t.TempDir()
		mkfile(t, filepath.Join(dir, ".git"), content)
		mkfile(t, filepath.Join(dir, "flake/flake.nix"), "{ }")
		if top, _, ok := GitWorkTree(filepath.Join(dir, "flake")); ok {
			t.Errorf(".git %q: taken for a work tree at %s", content, top)
		}
	}
}
