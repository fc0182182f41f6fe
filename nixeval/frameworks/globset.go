package frameworks

import (
	"io/fs"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/nixbuild-lint/nixbuild-lint/nixeval/lang"
)

// The reader's own model of pdtpartners/globset's lib.globs root patterns
// (written from its README): the files below root that the patterns select,
// in order — a pattern adds the files it matches, one starting with "!"
// takes them away again; "*" matches within a name, "**" any number of
// directories. The result is a file set of the reader's lib.fileset
// (lang.NewFileset), which lib.fileset.toList turns into the list of its files.

func globsPrim() *lang.Prim {
	return lang.NewPrim("globset.lib.globs", 2, func(ev *lang.Evaluator, a []*lang.Thunk) lang.Value {
		root, ok := ev.RealPath(ev.Force(a[0]))
		if !ok {
			return &lang.Unknown{Why: "globset.lib.globs of a path outside the tree", At: a[0].Span()}
		}
		pl, bad := ev.ForceList(a[1])
		if bad != nil {
			return bad
		}
		var pats []string
		for _, e := range pl.Elems {
			s, ok := ev.Force(e).(*lang.Str)
			if !ok {
				return &lang.Unknown{Why: "globset.lib.globs: a pattern that is not a known string", At: e.Span()}
			}
			pats = append(pats, s.S)
		}
		files := treeAllFiles(ev, root)
		in := map[string]bool{}
		for _, p := range pats {
			neg := strings.HasPrefix(p, "!")
			p = strings.TrimPrefix(strings.TrimPrefix(p, "!"), "/")
			ps := strings.Split(p, "/")
			for _, f := range files {
				rel, _ := filepath.Rel(root, f)
				if globMatch(ps, strings.Split(filepath.ToSlash(rel), "/")) {
					in[f] = !neg
				}
			}
		}
		var out []string
		for f, ok := range in {
			if ok {
				out = append(out, f)
			}
		}
		sort.Strings(out)
		return lang.NewFileset(out)
	})
}

// globMatch matches path segments against pattern segments; "**" is any
// number of segments (at the end, at least one).
func globMatch(pat, segs []string) bool {
	if len(pat) == 0 {
		return len(segs) == 0
	}
	if pat[0] == "**" {
		if len(pat) == 1 {
			return len(segs) > 0
		}
		for i := 0; i <= len(segs); i++ {
			if globMatch(pat[1:], segs[i:]) {
				return true
			}
		}
		return false
	}
	if len(segs) == 0 {
		return false
	}
	if ok, err := path.Match(pat[0], segs[0]); err != nil || !ok {
		return false
	}
	return globMatch(pat[1:], segs[1:])
}

// treeAllFiles are the regular files below root (root itself if a file),
// sorted.
func treeAllFiles(ev *lang.Evaluator, root string) []string {
	return walkTree(ev, root, func(d fs.DirEntry, _ string) (descend, keep bool) {
		return d.IsDir(), !d.IsDir() && d.Type().IsRegular()
	})
}
