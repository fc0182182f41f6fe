// Package treefs is the one way the tool opens a file it did not write:
// the files of the checked tree, as Nix's pure evaluation would see them,
// and the files the user names on the command line.
//
// A Tree is a set of root directories. A path is resolved component by
// component, every symlink followed (at most 40, as the kernel does), and
// refused when any step lands outside every root, or on a file a git root
// does not track (a flake in a git repository is its tracked files to Nix).
// Only regular files are read, and never more than a limit: a FIFO, a
// device or a socket is refused before it is opened, so nothing blocks and
// nothing unbounded is read.
package treefs

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// Why a path is refused. Each is wrapped in an *Error naming the path.
var (
	ErrOutside    = errors.New("outside the tree")
	ErrSymlinkOut = errors.New("a symlink out of the tree")
	ErrLoop       = errors.New("a symlink loop")
	ErrUntracked  = errors.New("not tracked by git (Nix does not see it)")
	ErrNotRegular = errors.New("not a regular file")
	ErrTooLarge   = errors.New("too large")
)

// errNotExist is a missing file of the tree: fs.ErrNotExist, said the way
// the reader has always said it.
var errNotExist error = notExist{}

type notExist struct{}

func (notExist) Error() string        { return "no such file" }
func (notExist) Is(target error) bool { return target == fs.ErrNotExist }

// Error is a refused or failed access to Path.
type Error struct {
	Path string
	Err  error  // one of the Err… above, or an error of the OS
	Kind string // for ErrNotRegular: what the file is (a FIFO, a device, …)
	Size int64  // for ErrTooLarge: the size seen, and the limit
	Max  int64
}

func (e *Error) Error() string { return e.Path + ": " + e.Reason() }

// Reason is the error without the path: "a symlink out of the tree".
func (e *Error) Reason() string {
	switch {
	case errors.Is(e.Err, ErrNotRegular) && e.Kind != "":
		return e.Kind + ", not a regular file"
	case errors.Is(e.Err, ErrTooLarge):
		if e.Size > 0 {
			return fmt.Sprintf("too large (%d bytes; at most %d are read)", e.Size, e.Max)
		}
		return fmt.Sprintf("too large (more than %d bytes)", e.Max)
	case errors.Is(e.Err, errNotExist):
		return "no such file"
	case errors.Is(e.Err, fs.ErrPermission):
		return "permission denied"
	}
	var pe *fs.PathError
	if errors.As(e.Err, &pe) {
		return pe.Err.Error()
	}
	return e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

// Reason is err's reason without its path when it is an *Error, else
// err's text.
func Reason(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Reason()
	}
	return err.Error()
}

// MaxNixFile is the largest Nix file read (and shown, and fixed).
const MaxNixFile = 8 << 20

// maxHops bounds the symlinks followed in one resolution (Linux's limit).
const maxHops = 40

// Tree is the set of directories whose files may be read.
type Tree struct {
	mu    sync.RWMutex
	roots []*root
	// resolved remembers each resolution (a read asks for the same file
	// several times: import, load, read); cleared when a root is added.
	resolved map[resolveKey]resolution
	// dirs remembers the directories met on the way (real paths, no
	// symlink in them) with their lstat: the files of one directory are
	// resolved through the same directories. Cleared with resolved.
	dirs map[string]fs.FileInfo
}

type resolveKey struct {
	p          string
	followLast bool
}

type resolution struct {
	real string
	err  error
	fi   fs.FileInfo // lstat of real when the walk took it (nil: not taken)
}

type root struct {
	lex, real string // as given (absolute, clean) and with symlinks resolved
	// tracked is nil when every file below the root is visible; else the
	// files git tracks (slash paths relative to real) and dirs every
	// directory holding one.
	tracked, dirs map[string]bool
}

// New is a tree of the given directories (every file below them visible).
func New(dirs ...string) *Tree {
	t := &Tree{}
	for _, d := range dirs {
		t.Add(d)
	}
	return t
}

// Add makes every file below dir readable.
func (t *Tree) Add(dir string) { t.add(dir, nil) }

// AddTracked makes the files below dir that are listed in files (slash
// paths relative to dir) readable, as git tracks them.
func (t *Tree) AddTracked(dir string, files []string) {
	set := make(map[string]bool, len(files))
	for _, f := range files {
		set[f] = true
	}
	t.add(dir, set)
}

func (t *Tree) add(dir string, tracked map[string]bool) {
	lex, err := filepath.Abs(dir)
	if err != nil {
		return
	}
	real, err := filepath.EvalSymlinks(lex)
	if err != nil {
		real = lex
	}
	r := &root{lex: lex, real: real, tracked: tracked}
	if tracked != nil {
		r.dirs = map[string]bool{}
		for f := range tracked {
			for d := pathDir(f); d != ""; d = pathDir(d) {
				if r.dirs[d] {
					break
				}
				r.dirs[d] = true
			}
		}
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.resolved, t.dirs = nil, nil
	for _, o := range t.roots {
		if o.real == r.real && o.lex == r.lex && (o.tracked == nil) == (tracked == nil) {
			return
		}
	}
	t.roots = append(t.roots, r)
}

func pathDir(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[:i]
	}
	return ""
}

// within reports whether p is dir or below it.
func within(p, dir string) (string, bool) {
	if p == dir {
		return "", true
	}
	if dir == "/" {
		return p[1:], true
	}
	if strings.HasPrefix(p, dir) && p[len(dir)] == '/' {
		return p[len(dir)+1:], true
	}
	return "", false
}

// rootOf is the root p (absolute and clean) lies in, and p relative to the
// root's real directory. Among nested roots the innermost wins, and a root
// that shows every file wins over a git one of the same directory.
func (t *Tree) rootOf(p string, lexical bool) (*root, string) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	var best *root
	bestRel := ""
	for _, r := range t.roots {
		rel, ok := within(p, r.real)
		if !ok && lexical {
			rel, ok = within(p, r.lex)
		}
		if !ok {
			continue
		}
		if best == nil || len(rel) < len(bestRel) || len(rel) == len(bestRel) && r.tracked == nil {
			best, bestRel = r, rel
		}
	}
	return best, bestRel
}

// visible reports whether rel (below r) is a file Nix would see.
func (r *root) visible(rel string) bool {
	if rel == "" || r.tracked == nil {
		return true
	}
	return r.tracked[rel] || r.dirs[rel]
}

// Readable reports, without touching the disk, whether p names a place in
// the tree (after removing . and ..). The file may still be refused when
// it is read: Resolve follows its symlinks.
func (t *Tree) Readable(p string) bool {
	if !filepath.IsAbs(p) {
		return false
	}
	r, _ := t.rootOf(filepath.Clean(p), true)
	return r != nil
}

// Listed reports, without touching the disk, whether p (absolute, clean,
// no symlink on the way) is a file the tree shows: in a root, and tracked
// in a git one.
func (t *Tree) Listed(p string) bool {
	r, rel := t.rootOf(p, true)
	return r != nil && r.visible(rel)
}

// Resolve is the real path of p (absolute), every symlink followed. It is
// refused when p, or any symlink on the way, leads outside the tree, or
// passes a file git does not track.
func (t *Tree) Resolve(p string) (string, error) {
	r := t.resolve(p, true)
	if r.err != nil {
		return "", &Error{Path: p, Err: r.err}
	}
	return r.real, nil
}

func (t *Tree) resolve(p string, followLast bool) resolution {
	k := resolveKey{p, followLast}
	t.mu.RLock()
	r, ok := t.resolved[k]
	t.mu.RUnlock()
	if ok {
		return r
	}
	r.real, r.fi, r.err = t.resolveOnce(p, followLast)
	t.mu.Lock()
	if t.resolved == nil {
		t.resolved = map[resolveKey]resolution{}
	}
	t.resolved[k] = r
	t.mu.Unlock()
	return r
}

// lstat is os.Lstat of next (a real path: its directory has no symlink),
// remembered when it is a directory.
func (t *Tree) lstat(next string) (fs.FileInfo, error) {
	t.mu.RLock()
	fi, ok := t.dirs[next]
	t.mu.RUnlock()
	if ok {
		return fi, nil
	}
	fi, err := os.Lstat(next)
	if err == nil && fi.IsDir() {
		t.mu.Lock()
		if t.dirs == nil {
			t.dirs = map[string]fs.FileInfo{}
		}
		t.dirs[next] = fi
		t.mu.Unlock()
	}
	return fi, err
}

// resolveOnce walks p component by component; fi is the lstat of the
// real path when the last step took one (nil otherwise).
func (t *Tree) resolveOnce(p string, followLast bool) (string, fs.FileInfo, error) {
	if !filepath.IsAbs(p) {
		abs, err := filepath.Abs(p)
		if err != nil {
			return "", nil, err
		}
		p = abs
	}
	r, rel := t.rootOf(filepath.Clean(p), true)
	if r == nil {
		return "", nil, ErrOutside
	}
	// p is cleaned as Nix cleans a path (lexically); a symlink's target is
	// followed as the kernel does, .. after the link. cur is always a real
	// path (no symlink in it), so its parent is its directory.
	cur := r.real
	var curFi fs.FileInfo // lstat of cur, when taken
	todo := splitRel(rel)
	hops := 0
	for len(todo) > 0 {
		c := todo[0]
		todo = todo[1:]
		if c == ".." {
			cur, curFi = filepath.Dir(cur), nil
			continue
		}
		next := joinName(cur, c)
		nr, nrel := t.rootOf(next, false)
		if nr == nil {
			if len(todo) > 0 && t.aboveRoot(next) {
				cur, curFi = next, nil // on the way down to a root: ../tree/x from the tree
				continue
			}
			return "", nil, ErrSymlinkOut
		}
		fi, err := t.lstat(next)
		if errors.Is(err, fs.ErrNotExist) {
			return "", nil, errNotExist // "no such file", as Nix says it
		}
		if err != nil {
			return "", nil, err
		}
		if !nr.visible(nrel) || c == ".git" && nr.tracked != nil {
			return "", nil, ErrUntracked
		}
		if fi.Mode()&fs.ModeSymlink == 0 || !followLast && len(todo) == 0 {
			cur, curFi = next, fi
			continue
		}
		if hops++; hops > maxHops {
			return "", nil, ErrLoop
		}
		target, err := os.Readlink(next)
		if err != nil {
			return "", nil, err
		}
		curFi = nil
		if filepath.IsAbs(target) {
			if tr, trel := t.rootOf(target, true); tr != nil && !strings.Contains(target, "..") {
				cur, target = tr.real, trel
			} else {
				cur = "/"
			}
		}
		todo = append(splitRel(target), todo...)
	}
	if r, _ := t.rootOf(cur, false); r == nil {
		return "", nil, ErrSymlinkOut
	}
	return cur, curFi, nil
}

// joinName is filepath.Join(dir, name) for a clean absolute dir and a
// name (no separator, not . or ..): nothing to clean.
func joinName(dir, name string) string {
	if dir == "/" {
		return "/" + name
	}
	return dir + "/" + name
}

// aboveRoot reports whether dir is a directory above some root's real
// directory.
func (t *Tree) aboveRoot(dir string) bool {
	t.mu.RLock()
	defer t.mu.RUnlock()
	for _, r := range t.roots {
		if rel, ok := within(r.real, dir); ok && rel != "" {
			return true
		}
	}
	return false
}

func splitRel(rel string) []string {
	var out []string
	for _, c := range strings.Split(filepath.ToSlash(rel), "/") {
		if c != "" && c != "." {
			out = append(out, c)
		}
	}
	return out
}

// Stat is p's file information, symlinks followed.
func (t *Tree) Stat(p string) (fs.FileInfo, error) {
	r := t.resolve(p, true)
	if r.err != nil {
		return nil, &Error{Path: p, Err: r.err}
	}
	if r.fi != nil {
		return r.fi, nil // taken by the resolution, of the same real path
	}
	fi, err := os.Lstat(r.real)
	if err != nil {
		return nil, &Error{Path: p, Err: err}
	}
	return fi, nil
}

// Lstat is p's file information, its last component not followed (a
// symlink is a symlink).
func (t *Tree) Lstat(p string) (fs.FileInfo, error) {
	r := t.resolve(p, false)
	if r.err != nil {
		return nil, &Error{Path: p, Err: r.err}
	}
	if r.fi != nil {
		return r.fi, nil
	}
	fi, err := os.Lstat(r.real)
	if err != nil {
		return nil, &Error{Path: p, Err: err}
	}
	return fi, nil
}

// Exists reports whether p is a file or directory of the tree; an error
// when it cannot be told (a symlink out of the tree, a loop).
func (t *Tree) Exists(p string) (bool, error) {
	_, err := t.Stat(p)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, fs.ErrNotExist), errors.Is(err, ErrUntracked):
		return false, nil
	}
	return false, err
}

// ReadDir lists the directory p: the entries Nix would see, sorted by name
// (a symlink is listed as one, not followed).
func (t *Tree) ReadDir(p string) ([]fs.DirEntry, error) {
	real, err := t.Resolve(p)
	if err != nil {
		return nil, err
	}
	ents, err := os.ReadDir(real)
	if err != nil {
		return nil, &Error{Path: p, Err: err}
	}
	r, rel := t.rootOf(real, false)
	if r == nil || r.tracked == nil {
		return ents, nil
	}
	out := ents[:0]
	for _, e := range ents {
		name := e.Name()
		if rel != "" {
			name = rel + "/" + name
		}
		if r.visible(name) && e.Name() != ".git" {
			out = append(out, e)
		}
	}
	return out, nil
}

// ReadFile reads the regular file p of the tree, at most limit bytes.
func (t *Tree) ReadFile(p string, limit int64) ([]byte, error) {
	real, err := t.Resolve(p)
	if err != nil {
		return nil, err
	}
	data, e := readRegular(real, limit, true)
	if e != nil {
		return nil, &Error{Path: p, Err: e.Err, Kind: e.Kind, Size: e.Size, Max: limit}
	}
	return data, nil
}

// Open opens the regular file p of the tree for streaming; the caller
// closes it.
func (t *Tree) Open(p string) (*os.File, fs.FileInfo, error) {
	real, err := t.Resolve(p)
	if err != nil {
		return nil, nil, err
	}
	f, fi, e := openRegular(real, true)
	if e != nil {
		return nil, nil, &Error{Path: p, Err: e.Err, Kind: e.Kind}
	}
	return f, fi, nil
}

// ReadIn reads the file p below dir (a tree of that directory alone).
func ReadIn(dir, p string, limit int64) ([]byte, error) {
	return New(dir).ReadFile(p, limit)
}

// ReadRegular reads a file the user named (symlinks followed, anywhere):
// only a regular file, at most limit bytes.
func ReadRegular(p string, limit int64) ([]byte, error) {
	data, err := readRegular(p, limit, false)
	if err != nil {
		return nil, &Error{Path: p, Err: err.Err, Kind: err.Kind, Size: err.Size, Max: limit}
	}
	return data, nil
}

// OpenRegular opens a file the user named for streaming: only a regular
// file (symlinks followed, anywhere). The caller closes it.
func OpenRegular(p string) (*os.File, error) {
	f, _, err := openRegular(p, false)
	if err != nil {
		return nil, &Error{Path: p, Err: err.Err, Kind: err.Kind}
	}
	return f, nil
}

// ReadAllLimited reads r to its end, at most limit bytes (standard input).
func ReadAllLimited(r io.Reader, name string, limit int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, &Error{Path: name, Err: err}
	}
	if int64(len(data)) > limit {
		return nil, &Error{Path: name, Err: ErrTooLarge, Max: limit}
	}
	return data, nil
}

// Kind names a file's type for a message: "a FIFO", "a device", ….
func Kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeSymlink != 0:
		return "a symlink"
	case m.IsRegular():
		return "a regular file"
	}
	return "a special file"
}

func readRegular(p string, limit int64, noFollow bool) ([]byte, *Error) {
	f, fi, err := openRegular(p, noFollow)
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }()
	if fi.Size() > limit {
		return nil, &Error{Err: ErrTooLarge, Size: fi.Size()}
	}
	// The size may be wrong (a file of /proc says 0) or grow: read one
	// byte past the limit to tell.
	data, rerr := io.ReadAll(io.LimitReader(f, limit+1))
	if rerr != nil {
		return nil, &Error{Err: rerr}
	}
	if int64(len(data)) > limit {
		return nil, &Error{Err: ErrTooLarge}
	}
	return data, nil
}

// openRegular opens p only when it is a regular file: it looks before it
// opens (opening a device can do something), opens without blocking (a
// FIFO swapped in after the look), and looks again at what it opened.
func openRegular(p string, noFollow bool) (*os.File, fs.FileInfo, *Error) {
	stat := os.Stat
	if noFollow {
		stat = os.Lstat
	}
	fi, err := stat(p)
	if err != nil {
		return nil, nil, &Error{Err: err}
	}
	if !fi.Mode().IsRegular() {
		return nil, nil, &Error{Err: ErrNotRegular, Kind: Kind(fi.Mode())}
	}
	f, err := openNonBlocking(p, noFollow)
	if err != nil {
		return nil, nil, &Error{Err: err}
	}
	fi, err = f.Stat()
	if err != nil {
		_ = f.Close()
		return nil, nil, &Error{Err: err}
	}
	if !fi.Mode().IsRegular() {
		_ = f.Close()
		return nil, nil, &Error{Err: ErrNotRegular, Kind: Kind(fi.Mode())}
	}
	return f, fi, nil
}
