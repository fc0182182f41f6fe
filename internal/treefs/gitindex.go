package treefs

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// A flake in a git work tree is, to Nix, the files git tracks: Nix copies
// those and nothing else (not an ignored .env, not an untracked file). The
// reader gets the same list from git's index, read here without running
// git: a repository's configuration can make git run programs
// (core.fsmonitor), and the index is a plain file.

// MaxIndexSize is the largest git index read.
const MaxIndexSize = 256 << 20

// GitWorkTree is the git work tree dir lies in: the nearest directory,
// dir or above, holding a .git that is a repository (a directory with
// HEAD, or a file "gitdir: <dir>" naming one), and its git directory. A
// .git that is neither (an empty file, say) ends the search: it makes no
// directory above readable.
func GitWorkTree(dir string) (top, gitDir string, ok bool) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", "", false
	}
	for d := dir; ; {
		dotgit := filepath.Join(d, ".git")
		if fi, err := os.Lstat(dotgit); err == nil {
			g := gitDirOf(d, dotgit, fi.IsDir(), fi.Mode().IsRegular())
			if g == "" {
				return "", "", false
			}
			return d, g, true
		}
		up := filepath.Dir(d)
		if up == d {
			return "", "", false
		}
		d = up
	}
}

func gitDirOf(top, dotgit string, isDir, isFile bool) string {
	g := ""
	switch {
	case isDir:
		g = dotgit
	case isFile:
		data, err := ReadRegular(dotgit, 4096)
		if err != nil {
			return ""
		}
		line, _, _ := strings.Cut(string(data), "\n")
		rest, ok := strings.CutPrefix(strings.TrimSpace(line), "gitdir:")
		if !ok {
			return ""
		}
		g = strings.TrimSpace(rest)
		if g == "" {
			return ""
		}
		if !filepath.IsAbs(g) {
			g = filepath.Join(top, g)
		}
	default:
		return ""
	}
	if fi, err := os.Stat(filepath.Join(g, "HEAD")); err != nil || !fi.Mode().IsRegular() {
		return ""
	}
	return g
}

// TrackedFiles is the paths (slash-separated, relative to the work tree)
// of git's index in gitDir.
func TrackedFiles(gitDir string) ([]string, error) {
	hashLen := 20
	if objectFormat(gitDir) == "sha256" {
		hashLen = 32
	}
	files, shared, err := readIndex(filepath.Join(gitDir, "index"), hashLen)
	if err != nil {
		return nil, err
	}
	if shared != "" {
		// A split index: the entries here are the changes to a shared
		// index; both together list what is tracked (a file removed since
		// the shared index was written may still be listed).
		base, _, err := readIndex(filepath.Join(gitDir, "sharedindex."+shared), hashLen)
		if err != nil {
			return nil, err
		}
		files = append(files, base...)
	}
	return files, nil
}

// objectFormat is the repository's extensions.objectFormat ("" for sha1).
func objectFormat(gitDir string) string {
	dirs := []string{gitDir}
	if data, err := ReadRegular(filepath.Join(gitDir, "commondir"), 4096); err == nil {
		c := strings.TrimSpace(string(data))
		if !filepath.IsAbs(c) {
			c = filepath.Join(gitDir, c)
		}
		dirs = append(dirs, c)
	}
	for _, d := range dirs {
		data, err := ReadRegular(filepath.Join(d, "config"), 1<<20)
		if err != nil {
			continue
		}
		for _, l := range strings.Split(string(data), "\n") {
			l = strings.ToLower(strings.Join(strings.Fields(l), ""))
			if v, ok := strings.CutPrefix(l, "objectformat="); ok {
				return v
			}
		}
	}
	return ""
}

var errIndex = errors.New("not a git index this reader knows")

// readIndex reads a git index file (versions 2 to 4): its paths, and the
// hash of the shared index when it is a split one.
func readIndex(p string, hashLen int) (files []string, shared string, err error) {
	data, err := ReadRegular(p, MaxIndexSize)
	if err != nil {
		return nil, "", err
	}
	if len(data) < 12 || string(data[:4]) != "DIRC" {
		return nil, "", errIndex
	}
	version := binary.BigEndian.Uint32(data[4:8])
	if version < 2 || version > 4 {
		return nil, "", fmt.Errorf("git index version %d: %w", version, errIndex)
	}
	n := binary.BigEndian.Uint32(data[8:12])
	off := 12
	prev := ""
	seen := map[string]bool{}
	fixed := 40 + hashLen + 2 // stat data, object hash, flags
	for i := uint32(0); i < n; i++ {
		start := off
		if off+fixed > len(data) {
			return nil, "", errIndex
		}
		flags := binary.BigEndian.Uint16(data[off+40+hashLen:])
		off += fixed
		if flags&0x4000 != 0 && version >= 3 { // extended flags
			off += 2
		}
		var name string
		if version == 4 {
			strip, used := varint(data[off:])
			if used == 0 || strip > uint64(len(prev)) {
				return nil, "", errIndex
			}
			off += used
			end := bytes.IndexByte(data[off:], 0)
			if end < 0 {
				return nil, "", errIndex
			}
			name = prev[:len(prev)-int(strip)] + string(data[off:off+end])
			off += end + 1
		} else {
			end := bytes.IndexByte(data[off:], 0)
			if end < 0 {
				return nil, "", errIndex
			}
			name = string(data[off : off+end])
			// Entries are padded with 1 to 8 NULs to a multiple of 8.
			off = start + (off-start+end+8)&^7
		}
		prev = name
		// A sparse index lists a directory not checked out as "dir/".
		name = strings.TrimSuffix(name, "/")
		// A split index's entry that replaces one of the shared index has
		// no name; a conflict lists a path once per stage.
		if name != "" && !seen[name] {
			seen[name] = true
			files = append(files, name)
		}
	}
	// Extensions, then the checksum.
	for off+8 <= len(data)-hashLen {
		sig := string(data[off : off+4])
		size := int(binary.BigEndian.Uint32(data[off+4:]))
		off += 8
		if size < 0 || off+size > len(data) {
			return nil, "", errIndex
		}
		if sig == "link" && size >= hashLen {
			shared = hex.EncodeToString(data[off : off+hashLen])
		}
		off += size
	}
	return files, shared, nil
}

// varint is git's offset encoding (index v4 path prefixes): the value and
// the bytes used (0 when malformed).
func varint(b []byte) (uint64, int) {
	if len(b) == 0 {
		return 0, 0
	}
	c := b[0]
	v := uint64(c & 0x7f)
	i := 1
	for c&0x80 != 0 {
		if i >= len(b) || i > 9 {
			return 0, 0
		}
		c = b[i]
		i++
		v = (v+1)<<7 | uint64(c&0x7f)
	}
	return v, i
}

// FlakeTracked is what Nix sees of the flake at dir when dir is in a git
// work tree: the files git tracks below dir (slash paths relative to dir).
// ok is false when dir is in no work tree, or git does not track
// dir/flake.nix (then every file of dir is the flake, as the reader
// reads it).
func FlakeTracked(dir string) (files []string, ok bool, err error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, false, err
	}
	top, gitDir, found := GitWorkTree(abs)
	if !found {
		return nil, false, nil
	}
	all, err := TrackedFiles(gitDir)
	if err != nil {
		return nil, false, err
	}
	prefix, err := filepath.Rel(top, abs)
	if err != nil {
		return nil, false, err
	}
	prefix = filepath.ToSlash(prefix) + "/"
	if prefix == "./" {
		prefix = ""
	}
	for _, f := range all {
		if rel, in := strings.CutPrefix(f, prefix); in && rel != "" {
			files = append(files, rel)
		}
	}
	if !slices.Contains(files, "flake.nix") {
		return nil, false, nil
	}
	return files, true, nil
}
