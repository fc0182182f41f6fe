package inputs

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/bzip2"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// Unpacking follows what Nix does with a source archive (one top-level
// directory, which is the source; a git export is the source itself), with
// the bounds and refusals of a tree nobody has checked yet: an entry that
// would land outside the tree (an absolute name, a ".." component, a path
// through a symlink, a symlink pointing out), a hard link, a device or
// fifo, more bytes or entries than allowed. The first such entry stops the
// unpacking with an error naming it; the caller removes what was written.

// limits bound one archive.
type limits struct {
	bytes   int64 // file contents, in total (and the compressed stream)
	entries int
}

// escapeError is an entry that would leave the tree.
type escapeError struct{ entry, why string }

func (e *escapeError) Error() string {
	return fmt.Sprintf("archive entry %q %s", e.entry, e.why)
}

// decompress gives the tar stream inside r: gzip, bzip2 or none.
func decompress(r io.Reader) (io.Reader, error) {
	br := bufio.NewReader(r)
	magic, _ := br.Peek(6)
	switch {
	case bytes.HasPrefix(magic, []byte{0x1f, 0x8b}):
		return gzip.NewReader(br)
	case bytes.HasPrefix(magic, []byte("BZh")):
		return bzip2.NewReader(br), nil
	case bytes.HasPrefix(magic, []byte{0xfd, '7', 'z', 'X', 'Z', 0}):
		return nil, errors.New("the archive is compressed with xz, which is not supported (gzip and bzip2 are)")
	case bytes.HasPrefix(magic, []byte{0x28, 0xb5, 0x2f, 0xfd}):
		return nil, errors.New("the archive is compressed with zstd, which is not supported (gzip and bzip2 are)")
	case bytes.HasPrefix(magic, []byte("PK\x03\x04")):
		return nil, errors.New("the archive is a zip file, which is not supported (tar, gzip and bzip2 are)")
	}
	return br, nil
}

// unpackTar writes the tar stream r below dir (an empty directory) and
// returns the source root: with top, the archive's one top-level
// directory, else dir itself.
func unpackTar(r io.Reader, dir string, top bool, lim limits) (string, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return "", err
	}
	defer func() { _ = root.Close() }()
	parents := &parentRoot{root: root}
	defer parents.close()
	tr := tar.NewReader(r)
	var (
		topName  string
		total    int64
		entries  int
		symlinks = map[string]bool{}
		files    = map[string]bool{}
		dirs     = map[string]bool{} // made already
	)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", fmt.Errorf("not a readable tar archive: %w", err)
		}
		if hdr.Typeflag == tar.TypeXGlobalHeader {
			continue // git archive's commit id
		}
		entries++
		if entries > lim.entries {
			return "", fmt.Errorf("the archive has more than %d entries", lim.entries)
		}
		name := hdr.Name
		if strings.HasPrefix(name, "/") {
			return "", &escapeError{name, "is an absolute path"}
		}
		var comps []string
		for _, c := range strings.Split(name, "/") {
			switch c {
			case "", ".":
				continue
			case "..":
				return "", &escapeError{name, "has a .. component"}
			}
			comps = append(comps, c)
		}
		if len(comps) == 0 {
			continue // the archive's "./"
		}
		if top {
			switch {
			case topName == "":
				topName = comps[0]
			case comps[0] != topName:
				return "", fmt.Errorf("the archive has more than one top-level entry (%q and %q)", topName, comps[0])
			}
			if len(comps) == 1 && hdr.Typeflag != tar.TypeDir {
				return "", fmt.Errorf("the archive's top-level entry %q is not a directory", name)
			}
		}
		rel := strings.Join(comps, "/")
		for i := 1; i < len(comps); i++ {
			if p := strings.Join(comps[:i], "/"); symlinks[p] {
				return "", &escapeError{name, "goes through the symlink " + p}
			}
		}
		if files[rel] {
			return "", fmt.Errorf("archive entry %q appears twice", name)
		}
		if parent := path.Dir(rel); parent != "." && !dirs[parent] {
			if err := root.MkdirAll(parent, 0o755); err != nil {
				return "", entryError(name, err)
			}
			for p := parent; p != "."; p = path.Dir(p) {
				dirs[p] = true
			}
		}
		switch hdr.Typeflag {
		case tar.TypeDir:
			if !dirs[rel] {
				if err := root.MkdirAll(rel, 0o755); err != nil {
					return "", entryError(name, err)
				}
				dirs[rel] = true
			}
			continue
		case tar.TypeReg, tar.TypeRegA: //nolint:staticcheck // TypeRegA: old archives still write it
			total += hdr.Size
			if hdr.Size < 0 || total > lim.bytes {
				return "", fmt.Errorf("the archive unpacks to more than %s", size(lim.bytes))
			}
			mode := fs.FileMode(0o644)
			if hdr.Mode&0o100 != 0 { // executable by its owner: what a NAR keeps
				mode = 0o755
			}
			in, err := parents.of(path.Dir(rel))
			if err != nil {
				return "", entryError(name, err)
			}
			f, err := in.OpenFile(path.Base(rel), os.O_CREATE|os.O_EXCL|os.O_WRONLY, mode)
			if err != nil {
				return "", entryError(name, err)
			}
			_, err = io.CopyN(f, tr, hdr.Size)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return "", fmt.Errorf("archive entry %q: %w", name, err)
			}
		case tar.TypeSymlink:
			if err := checkLink(comps, hdr.Linkname, top); err != nil {
				return "", err
			}
			if err := root.Symlink(hdr.Linkname, rel); err != nil {
				return "", entryError(name, err)
			}
			symlinks[rel] = true
		case tar.TypeLink:
			return "", &escapeError{name, "is a hard link (to " + hdr.Linkname + "), which is refused"}
		default:
			return "", fmt.Errorf("archive entry %q is not a file, directory or symlink (tar type %q)", name, hdr.Typeflag)
		}
		files[rel] = true
	}
	if !top {
		return dir, nil
	}
	if topName == "" {
		return "", errors.New("the archive is empty")
	}
	return filepath.Join(dir, topName), nil
}

// checkLink refuses a symlink whose target leaves the source root: an
// absolute target, or a relative one climbing above the root from where
// the link is (comps, the link's path in the archive; its first component
// is the top directory when top is set).
func checkLink(comps []string, target string, top bool) error {
	name := strings.Join(comps, "/")
	if target == "" {
		return &escapeError{name, "is a symlink without a target"}
	}
	if strings.HasPrefix(target, "/") {
		return &escapeError{name, "is a symlink pointing out of the source (to " + target + ")"}
	}
	inRoot := comps
	if top {
		inRoot = comps[1:]
	}
	if len(inRoot) == 0 {
		return &escapeError{name, "is a symlink as the archive's top-level entry"}
	}
	resolved := path.Join(path.Join(inRoot[:len(inRoot)-1]...), target)
	if resolved == ".." || strings.HasPrefix(resolved, "../") {
		return &escapeError{name, "is a symlink pointing out of the source (to " + target + ")"}
	}
	return nil
}

// checkLinksInside resolves every symlink below root (after unpacking: a
// chain of links, each pointing inside on its own, can still climb out)
// and refuses one that resolves outside. A link that resolves to nothing
// is left: the reader opening it finds nothing.
func checkLinksInside(root string) error {
	real, err := filepath.EvalSymlinks(root)
	if err != nil {
		return err
	}
	return filepath.WalkDir(real, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.Type()&fs.ModeSymlink == 0 {
			return err
		}
		to, err := filepath.EvalSymlinks(p)
		if err != nil {
			return nil
		}
		if to != real && !strings.HasPrefix(to, real+string(filepath.Separator)) {
			rel, _ := filepath.Rel(real, p)
			return &escapeError{filepath.ToSlash(rel), "is a symlink resolving out of the source"}
		}
		return nil
	})
}

// entryError names the entry an os.Root refusal or a write failure was for.
func entryError(name string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) && strings.Contains(pe.Err.Error(), "escapes") {
		return &escapeError{name, "escapes the source"}
	}
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return fmt.Errorf("archive entry %q: %w", name, err)
}

// size is a byte count for a message.
func size(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// parentRoot keeps the directory the last file was written to open (as
// an os.Root below the tree's): an archive lists a directory's files
// together, and opening each file's path from the top, component by
// component, costs an openat per component.
type parentRoot struct {
	root *os.Root
	dir  string
	sub  *os.Root
}

func (p *parentRoot) of(dir string) (*os.Root, error) {
	if dir == "." {
		return p.root, nil
	}
	if p.sub != nil && p.dir == dir {
		return p.sub, nil
	}
	p.close()
	sub, err := p.root.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	p.sub, p.dir = sub, dir
	return sub, nil
}

func (p *parentRoot) close() {
	if p.sub != nil {
		_ = p.sub.Close()
		p.sub = nil
	}
}
