package nixeval

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/nixbuild-lint/nixbuild-lint/nixeval/lang"
)

// go-nix allocates its nodes in blocks of 1024 per parse, so parsing
// thousands of small module files one by one is mostly allocation and
// garbage collection. The reader instead parses the .nix files of the tree
// up front, many files per go-nix parse (as the elements of one list),
// on all cores. A file that fails inside a batch is parsed alone, so its
// error is exactly what a single parse says; the error is only reported if
// the file is actually imported.

const prefetchMaxFiles = 20000

// batch is a group of files parsed together, by a worker or, when the
// evaluator needs one of its files first, by the evaluator itself.
type batch struct {
	paths   []string
	claimed atomic.Bool
	done    chan struct{}
	results []lang.ParseResult
}

// prefetch starts parsing every .nix file below the root in the background;
// load waits for (or itself parses) the batch holding a file it needs, so
// evaluation overlaps with parsing. stopPrefetch ends the workers.
func (r *Reader) prefetch() {
	var paths []string
	r.flakeDirs, r.flakeDirsAll = nil, true
	_ = filepath.WalkDir(r.Root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		name := d.Name()
		if d.IsDir() {
			if p != r.Root && (strings.HasPrefix(name, ".") || name == "node_modules" || strings.HasPrefix(name, "result")) {
				return filepath.SkipDir
			}
			return nil
		}
		// Only what the reading may open: in a git repository, an untracked
		// file is not parsed.
		if d.Type().IsRegular() && strings.HasSuffix(name, ".nix") && r.tree.Listed(p) {
			paths = append(paths, p)
			if name == "flake.nix" && filepath.Dir(p) != r.Root {
				r.flakeDirs = append(r.flakeDirs, filepath.Dir(p))
			}
			if len(paths) >= prefetchMaxFiles {
				r.flakeDirsAll = false
				return filepath.SkipAll
			}
		}
		return nil
	})
	const perBatch = 48
	r.pending = map[string]*batch{}
	var batches []*batch
	for i := 0; i < len(paths); i += perBatch {
		b := &batch{paths: paths[i:min(i+perBatch, len(paths))], done: make(chan struct{})}
		batches = append(batches, b)
		for _, p := range b.paths {
			r.pending[p] = b
		}
	}
	stop := &atomic.Bool{}
	var wg sync.WaitGroup
	next := atomic.Int64{}
	workers := runtime.GOMAXPROCS(0)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				i := int(next.Add(1)) - 1
				if i >= len(batches) {
					return
				}
				r.runBatch(batches[i])
			}
		}()
	}
	r.stopPrefetch = func() {
		stop.Store(true)
		wg.Wait()
	}
}

func (r *Reader) runBatch(b *batch) {
	if !b.claimed.CompareAndSwap(false, true) {
		return
	}
	b.results = lang.ParseBatch(r.readBatch(b.paths))
	close(b.done)
}

// awaitPrefetch makes the parse of p, if it was prefetched, available.
func (r *Reader) awaitPrefetch(p string) {
	b, ok := r.pending[p]
	if !ok {
		return
	}
	r.runBatch(b) // parse it here if no worker has started it
	<-b.done
	for _, path := range b.paths {
		delete(r.pending, path)
	}
	for _, res := range b.results {
		if res.Err != nil {
			r.parseErr[res.Src.Path] = res.Err
			continue
		}
		r.sources[res.Src.Path] = res.Src
		r.parsed[res.Src.Path] = res.Expr
	}
}

// readBatch reads files for prefetching; files it cannot take (too large,
// unreadable, not UTF-8) are left for load, which reports them.
func (r *Reader) readBatch(paths []string) []*lang.Source {
	var srcs []*lang.Source
	for _, p := range paths {
		data, ok := r.Overlay[p]
		if !ok {
			var err error
			if data, err = readLimited(p); err != nil {
				continue
			}
		}
		if !utf8.Valid(data) || strings.IndexByte(string(data), 0) >= 0 {
			continue
		}
		srcs = append(srcs, lang.NewSource(p, r.rel(p), data))
	}
	return srcs
}

// readLimited reads a file of at most MaxFileSize bytes.
func readLimited(p string) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileSize {
		return nil, errors.New("too large")
	}
	return data, nil
}

func (r *Reader) prefetched(p string) (lang.Expr, *lang.Source, error, bool) {
	r.awaitPrefetch(p)
	if e, ok := r.parsed[p]; ok {
		return e, r.sources[p], nil, true
	}
	if err, ok := r.parseErr[p]; ok {
		var se *lang.SyntaxError
		if errors.As(err, &se) {
			return nil, nil, syntaxInputError(se), true
		}
		return nil, nil, err, true
	}
	return nil, nil, nil, false
}
