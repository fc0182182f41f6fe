package inputs

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/nixbuild-lint/nixbuild-lint/nixeval"
)

// entry is one member of a test archive.
type entry struct {
	name string
	body string
	exec bool
	typ  byte // tar.TypeReg when 0
	link string
}

// tarGz is a gzip-compressed tar of the entries, in order.
func tarGz(t *testing.T, entries []entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for _, e := range entries {
		h := &tar.Header{Name: e.name, Typeflag: e.typ, Linkname: e.link, Mode: 0o644}
		switch e.typ {
		case 0:
			h.Typeflag, h.Size = tar.TypeReg, int64(len(e.body))
		case tar.TypeDir:
			h.Mode = 0o755
		}
		if e.exec {
			h.Mode = 0o755
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if h.Typeflag == tar.TypeReg {
			if _, err := tw.Write([]byte(e.body)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// treeEntries is the tree at dir as archive entries below prefix (files,
// directories, symlinks, sorted), as git archive writes a repository.
func treeEntries(t *testing.T, dir, prefix string) []entry {
	t.Helper()
	var out []entry
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		name := prefix + filepath.ToSlash(rel)
		if rel == "." {
			name = prefix
		}
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			to, err := os.Readlink(p)
			if err != nil {
				return err
			}
			out = append(out, entry{name: name, typ: tar.TypeSymlink, link: to})
		case d.IsDir():
			out = append(out, entry{name: strings.TrimSuffix(name, "/") + "/", typ: tar.TypeDir})
		default:
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			fi, _ := d.Info()
			out = append(out, entry{name: name, body: string(data), exec: fi.Mode()&0o100 != 0})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// writeTree writes files (relative path → contents; a value starting with
// "-> " is a symlink, a path ending in .sh is executable) below dir.
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if to, ok := strings.CutPrefix(body, "-> "); ok {
			if err := os.Symlink(to, p); err != nil {
				t.Fatal(err)
			}
			continue
		}
		mode := fs.FileMode(0o644)
		if strings.HasSuffix(name, ".sh") {
			mode = 0o755
		}
		if err := os.WriteFile(p, []byte(body), mode); err != nil {
			t.Fatal(err)
		}
	}
}

func needNix(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("nix"); err != nil {
		t.Fatal("nix not found (scripts/test.sh installs nix-bin)")
	}
}

// nixCmd runs the real nix in dir and returns its stdout.
func nixCmd(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("nix", append([]string{"--extra-experimental-features", "nix-command flakes"}, args...)...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("nix %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return strings.TrimSpace(string(out))
}

// nixHashPath is the real nix's NAR hash of the tree at dir (SRI).
func nixHashPath(t *testing.T, dir string) string {
	t.Helper()
	return nixCmd(t, "", "hash", "path", dir)
}

// server is a loopback HTTP server (a free port) serving files by request
// URI, and counting the requests.
type server struct {
	*httptest.Server
	mu       sync.Mutex
	files    map[string][]byte
	requests []string
}

func newServer(t *testing.T) *server {
	s := &server{files: map[string][]byte{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.requests = append(s.requests, r.URL.RequestURI())
		data, ok := s.files[r.URL.RequestURI()]
		s.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write(data)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *server) serve(uri string, data []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.files[uri] = data
}

func (s *server) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.requests)
}

// emptyStore points the reader's store at an empty directory: inputs the
// real nix put into /nix/store while locking are not found there.
func emptyStore(t *testing.T) {
	t.Setenv("NIX_STORE_DIR", filepath.Join(t.TempDir(), "store"))
}

// cacheName is the cache entry of a narHash (named as its store path).
func cacheName(t *testing.T, narHash string) string {
	t.Helper()
	p, err := nixeval.SourceStorePath(narHash)
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Base(p)
}

// cacheEntries lists the cache directory (all entries, temporaries too).
func cacheEntries(t *testing.T, dir string) []string {
	t.Helper()
	des, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var out []string
	for _, d := range des {
		out = append(out, d.Name())
	}
	return out
}

// lockedNarHash is the narHash flake.lock in dir gives node.
func lockedNarHash(t *testing.T, dir, node string) string {
	t.Helper()
	l := nixeval.ReadLock(dir)
	if l == nil {
		t.Fatal("flake.lock not read")
	}
	return l.Nodes[node].Locked.NarHash
}

func fetch(t *testing.T, dir string, o Options) Result {
	t.Helper()
	res, err := Fetch(context.Background(), dir, o)
	if err != nil {
		t.Fatal(err)
	}
	return res
}
