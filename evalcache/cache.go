// Package evalcache keeps the model --eval nix made of a flake, so that a
// second run on an unchanged tree reuses it instead of running Nix again.
//
// An entry is keyed by a SHA-256 of everything the evaluation depends on:
// the files of the tree (those git shows: tracked, and untracked but not
// ignored; every file when the tree is not a git work tree), the
// directories of path: overrides, the flags that change the evaluation,
// the tool binary and the nix binary. It lives at
// $XDG_CACHE_HOME/nixbuild-lint/<key>.json (~/.cache when XDG_CACHE_HOME is
// unset), written atomically. An entry that does not decode, has another
// format, or records another key is ignored, never trusted.
package evalcache

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/nixbuild-lint/nixbuild-lint/internal/gitsafe"
	"github.com/nixbuild-lint/nixbuild-lint/internal/treefs"
	"github.com/nixbuild-lint/nixbuild-lint/model"
	"github.com/nixbuild-lint/nixbuild-lint/nixeval/nixcli"
)

// format changes whenever Entry changes shape.
const format = 1

// Entry is one evaluation's outcome: the fleet and the hosts Nix could
// not evaluate, or, when Nix could not evaluate the flake at all, why.
type Entry struct {
	Format    int             `json:"format"`
	Key       string          `json:"key"`
	Fleet     *model.Fleet    `json:"fleet,omitempty"`
	Failed    []*nixcli.Error `json:"failed,omitempty"`
	NixFailed string          `json:"nixFailed,omitempty"`
}

// Dir is where entries live.
func Dir() string {
	if d := os.Getenv("XDG_CACHE_HOME"); d != "" {
		return filepath.Join(d, "nixbuild-lint")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	return filepath.Join(home, ".cache", "nixbuild-lint")
}

// Key hashes the tree at root, the path: overrides among overrides
// (NAME=REF), and settings (the flags and versions that change the
// evaluation, one string each).
func Key(root string, overrides, settings []string) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "nixbuild-lint eval cache %d\n", format)
	for _, s := range settings {
		fmt.Fprintf(h, "setting %q\n", s)
	}
	if err := hashTree(h, root); err != nil {
		return "", err
	}
	for _, o := range overrides {
		fmt.Fprintf(h, "override %q\n", o)
		_, ref, _ := strings.Cut(o, "=")
		if dir, ok := strings.CutPrefix(ref, "path:"); ok {
			if err := hashTree(h, dir); err != nil {
				return "", err
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Binaries describes the tool and the nix binary: a new build of either
// is another key (path, size and modification time, no reading).
func Binaries() string {
	var parts []string
	if exe, err := os.Executable(); err == nil {
		parts = append(parts, statOf(exe))
	}
	if nix, err := exec.LookPath("nix"); err == nil {
		if real, err := filepath.EvalSymlinks(nix); err == nil {
			nix = real
		}
		parts = append(parts, statOf(nix))
	}
	return strings.Join(parts, " ")
}

func statOf(p string) string {
	fi, err := os.Stat(p)
	if err != nil {
		return p
	}
	return fmt.Sprintf("%s:%d:%d", p, fi.Size(), fi.ModTime().UnixNano())
}

// BigFile is the size from which a file is keyed by its size and
// modification time instead of its contents (a disk image in the tree).
const BigFile = 32 << 20

// hashTree adds the files of dir (relative path, then contents) to h:
// regular files streamed (or, from BigFile, their size and time) and
// symlinks by target; FIFOs, devices and sockets, which Nix does not copy,
// are left out and never opened.
func hashTree(h io.Writer, dir string) error {
	files, err := treeFiles(dir)
	if err != nil {
		return err
	}
	tree := treefs.New(dir)
	for _, rel := range files {
		p := filepath.Join(dir, rel)
		fi, err := os.Lstat(p)
		if err != nil {
			if os.IsNotExist(err) {
				continue // deleted but still in git's index
			}
			return err
		}
		switch {
		case fi.Mode()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			fmt.Fprintf(h, "link %q %q\n", rel, target)
		case fi.Mode().IsRegular() && fi.Size() >= BigFile:
			fmt.Fprintf(h, "big %q %d %d %v\n", rel, fi.Size(), fi.ModTime().UnixNano(), fi.Mode()&0o111 != 0)
		case fi.Mode().IsRegular():
			sum, err := hashFile(tree, p)
			if err != nil {
				return err
			}
			fmt.Fprintf(h, "file %q %x %v\n", rel, sum, fi.Mode()&0o111 != 0)
		}
	}
	return nil
}

// hashFile is the SHA-256 of a regular file of the tree, read in pieces.
func hashFile(tree *treefs.Tree, p string) ([]byte, error) {
	f, _, err := tree.Open(p)
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }()
	sum := sha256.New()
	if _, err := io.Copy(sum, f); err != nil {
		return nil, err
	}
	return sum.Sum(nil), nil
}

// treeFiles lists the files of dir, sorted: git's view of a work tree
// (tracked, and untracked files that are not ignored), else every file
// below dir except .git. git runs with nothing of the repository's
// configuration that starts a program (gitsafe).
func treeFiles(dir string) ([]string, error) {
	cmd := gitsafe.Command(dir, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	var out bytes.Buffer
	cmd.Stdout = &out
	if err := cmd.Run(); err == nil {
		var files []string
		for _, f := range strings.Split(out.String(), "\x00") {
			if f != "" {
				files = append(files, filepath.FromSlash(f))
			}
		}
		sort.Strings(files)
		return files, nil
	}
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".git" {
			return filepath.SkipDir
		}
		if !d.IsDir() {
			rel, err := filepath.Rel(dir, p)
			if err != nil {
				return err
			}
			files = append(files, rel)
		}
		return nil
	})
	sort.Strings(files)
	return files, err
}

// Load is the entry for key, if a sound one is there.
func Load(key string) (*Entry, bool) {
	dir := Dir()
	if dir == "" {
		return nil, false
	}
	data, err := os.ReadFile(filepath.Join(dir, key+".json"))
	if err != nil {
		return nil, false
	}
	var e Entry
	if err := json.Unmarshal(data, &e); err != nil || e.Format != format || e.Key != key {
		return nil, false
	}
	if e.NixFailed == "" && (e.Fleet == nil || e.Fleet.Eval != "nix") {
		return nil, false
	}
	now := time.Now()
	_ = os.Chtimes(filepath.Join(dir, key+".json"), now, now) // used now: pruned last
	return &e, true
}

// Store writes the entry for key (atomically: a temporary file renamed).
func Store(key string, e *Entry) error {
	dir := Dir()
	if dir == "" {
		return fmt.Errorf("no cache directory (neither XDG_CACHE_HOME nor HOME is set)")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	e.Format, e.Key = format, key
	data, err := json.Marshal(e)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, key+".*.tmp")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		_ = tmp.Close()
		_ = os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		_ = os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), filepath.Join(dir, key+".json")); err != nil {
		_ = os.Remove(tmp.Name())
		return err
	}
	prune(dir)
	return nil
}

// MaxEntries bounds the cache: past it, the entries used longest ago go.
const MaxEntries = 256

// prune removes the oldest entries (by modification time, which Load
// refreshes) beyond MaxEntries.
func prune(dir string) {
	des, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	type ent struct {
		name string
		mod  int64
	}
	var ents []ent
	for _, d := range des {
		if !strings.HasSuffix(d.Name(), ".json") {
			continue
		}
		if fi, err := d.Info(); err == nil {
			ents = append(ents, ent{d.Name(), fi.ModTime().UnixNano()})
		}
	}
	if len(ents) <= MaxEntries {
		return
	}
	sort.Slice(ents, func(i, j int) bool { return ents[i].mod > ents[j].mod })
	for _, e := range ents[MaxEntries:] {
		_ = os.Remove(filepath.Join(dir, e.name))
	}
}
