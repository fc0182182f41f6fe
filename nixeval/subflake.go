package nixeval

import (
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/nixbuild-lint/nixbuild-lint/nixeval/lang"
)

// Subflakes: a flake of the linted tree that another flake of the same tree
// takes as a path: input (`inputs.sub.url = "path:./sub"`, or a subflake
// whose input `path:../` is the linted flake). Nix copies such an input from
// the tree; the reader reads it there, as a flake of its own, and the
// subflake's nixosConfigurations and darwinConfigurations are hosts of the
// fleet too. Only directories inside the linted root count (a path out of
// it, or a symlink out, does not exist for the reader, as for pure
// evaluation).

// maxSubflakeDirs bounds the walk looking for subflakes.
const maxSubflakeDirs = 4000

// treeFlakeDir is the directory a path: input names, seen from the flake
// in dir, when it is a directory of the linted root holding a flake.nix.
func (s *session) treeFlakeDir(dir, url string) (string, bool) {
	rest, ok := strings.CutPrefix(url, "path:")
	if !ok || strings.HasPrefix(rest, "/") {
		return "", false
	}
	if i := strings.IndexAny(rest, "?#"); i >= 0 {
		rest = rest[:i]
	}
	target := filepath.Clean(filepath.Join(dir, rest))
	if !inside(s.Root, target) {
		return "", false
	}
	// Through the tree's own resolver: a symlink out of the tree is
	// refused there, never followed; the real path must still be the
	// linted root's (the tree holds store inputs too).
	realRoot, err1 := s.tree.Resolve(s.Root)
	real, err2 := s.tree.Resolve(target)
	if err1 != nil || err2 != nil || !inside(realRoot, real) {
		return "", false
	}
	st, err := s.tree.Stat(filepath.Join(target, "flake.nix"))
	if err != nil || !st.Mode().IsRegular() {
		return "", false
	}
	return target, true
}

// inside reports whether p is root or below it.
func inside(root, p string) bool {
	rel, err := filepath.Rel(root, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// treeFlake is the flake of the tree at dir (self, with its outputs and
// inputs), evaluated once; the linted flake itself is registered by
// discoverFlake, so a subflake's `path:../` input is that same flake.
func (s *session) treeFlake(ev *lang.Evaluator, dir string) *lang.Thunk {
	if t, ok := s.treeFlakes[dir]; ok {
		return t
	}
	t := lang.Lazy(func() lang.Value {
		flake := filepath.Join(dir, "flake.nix")
		e, src, err := s.load(flake, lang.Span{})
		if err != nil {
			return &lang.Unknown{Why: "the flake at " + s.rel(dir) + ": " + err.Error()}
		}
		top, outAttr, outFn, err := flakeOutputsFn(ev, e, src)
		if err != nil {
			return &lang.Unknown{Why: "the flake at " + s.rel(dir) + ": " + err.Error()}
		}
		inputs, listed := flakeInputs(ev, top, flake, outFn)
		self := &lang.Attrs{}
		inputs.Set("self", self)
		if listed {
			inputs = &lang.Attrs{Dyn: declaredInputs{inputs}}
		}
		outputs := lang.Lazy(func() lang.Value { return ev.Call(outFn, lang.ValThunk(inputs), outAttr.T.Span()) })
		self.Dyn = selfSet{outputs: outputs, inputs: inputs, dir: dir, ev: ev}
		return self
	})
	s.treeFlakes[dir] = t
	return t
}

// treeInputs sets each input of the flake in dir that is a path: into the
// linted root to that flake of the tree, unless its source was found in
// the store (the same files, locked: read as an input).
func (s *session) treeInputs(ev *lang.Evaluator, dir string, urls map[string]string, inputs *lang.Attrs) {
	for n, u := range urls {
		if at, ok := inputs.M[n]; ok {
			if a, isSet := ev.Force(at.T).(*lang.Attrs); !isSet || !isStandIn(a) {
				continue
			}
		}
		if sub, ok := s.treeFlakeDir(dir, u); ok {
			inputs.SetThunk(n, s.treeFlake(ev, sub))
		}
	}
}

func isStandIn(a *lang.Attrs) bool {
	_, ok := a.Dyn.(inputStandIn)
	return ok
}

// flakeInputURLs are the inputs flake.nix declares with their url (as
// written, else the lock's).
func flakeInputURLs(ev *lang.Evaluator, top *lang.Attrs, dir string) map[string]string {
	out := map[string]string{}
	if ia, ok := top.Get("inputs"); ok {
		if ins, ok := ev.Force(ia.T).(*lang.Attrs); ok {
			if names, ok := ins.Names(); ok {
				for _, n := range names {
					out[n] = flakeRef(ev, ins, n)
				}
			}
		}
	}
	if lock := ReadLock(dir); lock != nil {
		for n := range lock.Nodes[lock.Root].Inputs {
			if out[n] != "" {
				continue
			}
			if key, ok := lock.Input(lock.Root, n); ok {
				out[n] = lock.url(key)
			}
		}
	}
	return out
}

// subflakes are the directories of the flakes of the tree that are the
// linted flake's subflakes: its own path: inputs into the root, and the
// flakes below it that take it (or another of them) as a path: input.
func (s *session) subflakes(ev *lang.Evaluator, root string, rootURLs map[string]string) []string {
	seen := map[string]bool{root: true}
	var out []string
	add := func(d string) {
		if !seen[d] {
			seen[d] = true
			out = append(out, d)
		}
	}
	for _, n := range sortedKeys(rootURLs) {
		if d, ok := s.treeFlakeDir(root, rootURLs[n]); ok {
			add(d)
		}
	}
	for _, d := range s.flakeDirsBelow(root) {
		if seen[d] {
			continue
		}
		e, src, err := s.load(filepath.Join(d, "flake.nix"), lang.Span{})
		if err != nil {
			continue
		}
		top, ok := ev.Eval(e, ev.Root).(*lang.Attrs)
		if !ok || src == nil {
			continue
		}
		urls := flakeInputURLs(ev, top, d)
		for _, n := range sortedKeys(urls) {
			if t, ok := s.treeFlakeDir(d, urls[n]); ok && seen[t] {
				add(d)
				break
			}
		}
	}
	return out
}

// flakeDirsBelow lists the directories below root (not root) holding a
// flake.nix, breadth first, skipping hidden directories.
func (s *session) flakeDirsBelow(root string) []string {
	if root == s.Root && s.flakeDirsAll {
		// The prefetch walk has seen them (the same tree, the same
		// directories left out): no second walk.
		out := slices.Clone(s.flakeDirs)
		sort.Strings(out)
		return out
	}
	var out []string
	queue := []string{root}
	visited := 0
	for len(queue) > 0 && visited < maxSubflakeDirs {
		dir := queue[0]
		queue = queue[1:]
		visited++
		ents, err := s.tree.ReadDir(dir)
		if err != nil {
			continue
		}
		for _, e := range ents {
			name := e.Name()
			switch {
			case e.IsDir() && !strings.HasPrefix(name, ".") && name != "node_modules":
				queue = append(queue, filepath.Join(dir, name))
			case name == "flake.nix" && dir != root && e.Type()&os.ModeType == 0:
				out = append(out, dir)
			}
		}
	}
	sort.Strings(out)
	return out
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
