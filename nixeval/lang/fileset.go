package lang

import (
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/nixbuild-lint/nixbuild-lint/internal/treefs"
)

// The reader's lib.fileset: a file set is the files (regular, symlinks and
// others, never directories) of the tree it holds, by path. A path where a
// file set is wanted stands for every file under it, as in nixpkgs.

// maxFilesetFiles bounds the files one file set holds.
const maxFilesetFiles = 100_000

// fileset is a file set's value: a set whose _type is "fileset".
type fileset struct {
	files []string // absolute paths, in Nix's order (component by component)
}

// Get answers _type only (the other attributes are nixpkgs' internals).
func (f fileset) Get(name string) (*Attr, bool) {
	if name == "_type" {
		return &Attr{T: ValThunk(StrV("fileset"))}, true
	}
	return nil, false
}

// Names lists _type.
func (f fileset) Names() ([]string, bool) { return []string{"_type"}, true }

// NewFileset is the file set of files (absolute paths), for a model that
// selects files itself (globset's lib.globs).
func NewFileset(files []string) *Attrs { return newFileset(files) }

func newFileset(files []string) *Attrs {
	slices.SortFunc(files, comparePaths)
	return &Attrs{Dyn: fileset{files: slices.Compact(files)}}
}

// comparePaths orders paths component by component, as lib.fileset.toList
// walks its tree ("a/b" before "a-c").
func comparePaths(a, b string) int {
	return strings.Compare(strings.ReplaceAll(a, "/", "\x00"), strings.ReplaceAll(b, "/", "\x00"))
}

// Fileset is lib.fileset: toList, union, unions, intersection, difference,
// maybeMissing, fileFilter, fromSource, isFileset, empty, trace, traceVal;
// toSource and gitTracked are unknown, with the reason; any other name is
// unknown and says it is not in the reader's lib.
func Fileset() *Attrs {
	out := NewAttrs()
	prim := func(name string, arity int, fn func(ev *Evaluator, a []*Thunk) Value) {
		out.Set(name, &Prim{Name: "lib.fileset." + name, Arity: arity, Fn: fn})
	}
	out.Set("empty", newFileset(nil))
	prim("toList", 1, func(ev *Evaluator, a []*Thunk) Value {
		fs, bad := ev.coerceFileset(a[0], "toList")
		if bad != nil {
			return bad
		}
		if u := ev.chargeHere(int64(len(fs.files)) * (costElem + costThunk)); u != nil {
			return u
		}
		l := &List{Elems: make([]*Thunk, len(fs.files))}
		for i, f := range fs.files {
			l.Elems[i] = ValThunk(&Path{P: f})
		}
		return l
	})
	binary := func(name string, op func(a, b map[string]bool) []string) {
		prim(name, 2, func(ev *Evaluator, a []*Thunk) Value {
			x, bad := ev.coerceFileset(a[0], name)
			if bad != nil {
				return bad
			}
			y, bad := ev.coerceFileset(a[1], name)
			if bad != nil {
				return bad
			}
			return newFileset(op(setOf(x.files), setOf(y.files)))
		})
	}
	binary("union", func(a, b map[string]bool) []string { return keys(a, b, func(in1, in2 bool) bool { return in1 || in2 }) })
	binary("intersection", func(a, b map[string]bool) []string { return keys(a, b, func(in1, in2 bool) bool { return in1 && in2 }) })
	binary("difference", func(a, b map[string]bool) []string {
		return keys(a, b, func(in1, in2 bool) bool { return in1 && !in2 })
	})
	prim("unions", 1, func(ev *Evaluator, a []*Thunk) Value {
		l, bad := ev.ForceList(a[0])
		if bad != nil {
			return bad
		}
		var all []string
		for _, e := range l.Elems {
			fs, bad := ev.coerceFileset(e, "unions")
			if bad != nil {
				return bad
			}
			all = append(all, fs.files...)
		}
		return newFileset(all)
	})
	prim("maybeMissing", 1, func(ev *Evaluator, a []*Thunk) Value {
		v := ev.Force(a[0])
		p, ok := v.(*Path)
		if !ok {
			return filesetThrow(v, "lib.fileset.maybeMissing: Argument is of type %s, but it should be a path instead.")
		}
		real, bad := ev.filesetPath(p, "maybeMissing")
		if bad != nil {
			return bad
		}
		if ok, err := ev.loader.Files().Exists(real); err != nil {
			return &Unknown{Why: "lib.fileset.maybeMissing " + ev.loader.Rel(real) + ": " + treefs.Reason(err)}
		} else if !ok {
			return newFileset(nil)
		}
		return ev.filesUnder(p.P, real, "maybeMissing", nil)
	})
	prim("fileFilter", 2, func(ev *Evaluator, a []*Thunk) Value {
		pred := ev.Force(a[0])
		switch pred.(type) {
		case *Closure, *Prim:
		case *Unknown:
			return pred
		default:
			return filesetThrow(pred, "lib.fileset.fileFilter: First argument is of type %s, but it should be a function instead.")
		}
		v := ev.Force(a[1])
		p, ok := v.(*Path)
		if !ok {
			return filesetThrow(v, "lib.fileset.fileFilter: Second argument is of type %s, but it should be a path instead.")
		}
		real, bad := ev.filesetPath(p, "fileFilter")
		if bad != nil {
			return bad
		}
		return ev.filesUnder(p.P, real, "fileFilter", func(name, typ string) Value {
			arg := NewAttrs()
			arg.Set("name", StrV(name))
			arg.Set("type", StrV(typ))
			arg.Set("hasExt", &Prim{Name: "hasExt", Arity: 1, Fn: func(ev *Evaluator, e []*Thunk) Value {
				ext, bad := ev.str(e[0])
				if bad != nil {
					return bad
				}
				return Bool{strings.HasSuffix(name, "."+ext)}
			}})
			// nixpkgs passes one more attribute, so that a predicate
			// without ... fails there as here.
			arg.Set("lib.fileset.fileFilter: The predicate function passed as the first argument must be able to handle extra attributes for future compatibility. If you're using `{ name, file, hasExt }:`, use `{ name, file, hasExt, ... }:` instead.", Null{})
			return ev.Call(pred, ValThunk(arg), ev.callAt)
		})
	})
	prim("fromSource", 1, func(ev *Evaluator, a []*Thunk) Value {
		v := ev.Force(a[0])
		if s, ok := v.(*Attrs); ok {
			if _, ok := s.Get("_isLibCleanSourceWith"); ok {
				return &Unknown{Why: "lib.fileset.fromSource of a lib.sources value (its filter is not run by the static reader)"}
			}
		}
		if _, ok := v.(*Path); !ok {
			return filesetThrow(v, "lib.fileset.fromSource: The source origin of the argument is of type %s, but it should be a path instead.")
		}
		fs, bad := ev.coerceFileset(a[0], "fromSource")
		if bad != nil {
			return bad
		}
		return &Attrs{Dyn: fs}
	})
	prim("isFileset", 1, func(ev *Evaluator, a []*Thunk) Value {
		switch v := ev.Force(a[0]).(type) {
		case *Unknown:
			return v
		case *Path:
			real, bad := ev.filesetPath(v, "isFileset")
			if bad != nil {
				return bad
			}
			ok, err := ev.loader.Files().Exists(real)
			if err != nil {
				return &Unknown{Why: "lib.fileset.isFileset " + ev.loader.Rel(real) + ": " + treefs.Reason(err)}
			}
			return Bool{ok}
		case *Attrs:
			if _, ok := v.Dyn.(fileset); ok {
				return Bool{true}
			}
			if t, ok := v.Get("_type"); ok {
				if s, ok := ev.Force(t.T).(*Str); ok {
					return Bool{s.S == "fileset"}
				}
			}
		}
		return Bool{false}
	})
	prim("trace", 2, func(ev *Evaluator, a []*Thunk) Value { return ev.Force(a[1]) })
	prim("traceVal", 1, func(ev *Evaluator, a []*Thunk) Value {
		fs, bad := ev.coerceFileset(a[0], "traceVal")
		if bad != nil {
			return bad
		}
		return &Attrs{Dyn: fs}
	})
	prim("toSource", 1, func(ev *Evaluator, a []*Thunk) Value {
		return &Unknown{Why: "lib.fileset.toSource (a store path of the files; the static reader copies nothing to the store)"}
	})
	prim("gitTracked", 1, func(ev *Evaluator, a []*Thunk) Value {
		return &Unknown{Why: "lib.fileset.gitTracked (it fetches the repository with builtins.fetchGit, which the static reader does not run)"}
	})
	prim("gitTrackedWith", 2, func(ev *Evaluator, a []*Thunk) Value {
		return &Unknown{Why: "lib.fileset.gitTrackedWith (it fetches the repository with builtins.fetchGit, which the static reader does not run)"}
	})
	return &Attrs{Dyn: OverlaySet{Top: out, Base: &Attrs{Dyn: UnknownSet{Why: "lib.fileset is only partly in the static reader's own lib (nixpkgs' real lib has it all when its source is in the store or fetched with --fetch-inputs):"}}}}
}

func setOf(files []string) map[string]bool {
	m := make(map[string]bool, len(files))
	for _, f := range files {
		m[f] = true
	}
	return m
}

// keys are the files of a and b that keep says to keep.
func keys(a, b map[string]bool, keep func(inA, inB bool) bool) []string {
	var out []string
	for f := range a {
		if keep(true, b[f]) {
			out = append(out, f)
		}
	}
	for f := range b {
		if !a[f] && keep(false, true) {
			out = append(out, f)
		}
	}
	return out
}

// filesetThrow is the error nixpkgs throws for an argument of the wrong
// type (format has one %s, the argument's type).
func filesetThrow(v Value, format string) Value {
	if u, ok := v.(*Unknown); ok {
		return u
	}
	return &Unknown{Why: strings.Replace(format, "%s", v.Kind(), 1), Thrown: true}
}

// filesetPath is the file p names, when the reader may read it.
func (ev *Evaluator) filesetPath(p *Path, fn string) (string, Value) {
	if p.Virtual {
		return "", &Unknown{Why: "lib.fileset." + fn + " of " + p.P + " (that source is not here)"}
	}
	real, ok := ev.RealPath(p)
	if !ok {
		return "", &Unknown{Why: "lib.fileset." + fn + " of a path outside the tree"}
	}
	return real, nil
}

// coerceFileset is t as a file set: a file set, or a path that exists (its
// files); anything else is nixpkgs' error.
func (ev *Evaluator) coerceFileset(t *Thunk, fn string) (fileset, Value) {
	v := ev.Force(t)
	switch x := v.(type) {
	case *Unknown:
		return fileset{}, x
	case *Attrs:
		if fs, ok := x.Dyn.(fileset); ok {
			return fs, nil
		}
		if _, ok := x.Get("_isLibCleanSourceWith"); ok {
			return fileset{}, &Unknown{Why: "lib.fileset." + fn + ": a lib.sources-based value, but it should be a file set or a path", Thrown: true}
		}
	case *Path:
		real, bad := ev.filesetPath(x, fn)
		if bad != nil {
			return fileset{}, bad
		}
		ok, err := ev.loader.Files().Exists(real)
		if err != nil {
			return fileset{}, &Unknown{Why: "lib.fileset." + fn + " " + ev.loader.Rel(real) + ": " + treefs.Reason(err)}
		}
		if !ok {
			return fileset{}, &Unknown{Why: "lib.fileset." + fn + ": " + ev.loader.Rel(real) + " is a path that does not exist", Thrown: true}
		}
		fs := ev.filesUnder(x.P, real, fn, nil)
		if a, ok := fs.(*Attrs); ok {
			return a.Dyn.(fileset), nil
		}
		return fileset{}, fs
	}
	if s, ok := v.(*Str); ok {
		return fileset{}, &Unknown{Why: "lib.fileset." + fn + ": (\"" + s.S + "\") is a string-like value, but it should be a file set or a path", Thrown: true}
	}
	return fileset{}, &Unknown{Why: "lib.fileset." + fn + ": an argument of type " + v.Kind() + ", but it should be a file set or a path", Thrown: true}
}

// filesUnder is the file set of every file at or below p (real is the file
// it names), those pred keeps when pred is given (it is called with each
// file's name and type and returns a Boolean).
func (ev *Evaluator) filesUnder(p, real, fn string, pred func(name, typ string) Value) Value {
	files := ev.loader.Files()
	var out []string
	var walk func(lex, real string) Value
	keep := func(lex, name, typ string) Value {
		if pred != nil {
			switch b := pred(name, typ).(type) {
			case Bool:
				if !b.B {
					return nil
				}
			case *Unknown:
				return &Unknown{Why: "lib.fileset." + fn + ": its predicate on " + ev.loader.Rel(lex) + ": " + b.Why, Thrown: b.Thrown}
			default:
				return &Unknown{Why: "lib.fileset." + fn + ": its predicate returned a " + b.Kind() + ", not a Boolean", Thrown: true}
			}
		}
		if len(out) >= maxFilesetFiles {
			return &Unknown{Why: "lib.fileset." + fn + ": more than 100000 files"}
		}
		out = append(out, lex)
		return nil
	}
	walk = func(lex, real string) Value {
		ents, err := files.ReadDir(real)
		if err != nil {
			return &Unknown{Why: "lib.fileset." + fn + " " + ev.loader.Rel(real) + ": " + treefs.Reason(err)}
		}
		for _, e := range ents {
			typ := fileType(e.Type())
			l, r := filepath.Join(lex, e.Name()), filepath.Join(real, e.Name())
			var u Value
			if typ == "directory" {
				u = walk(l, r)
			} else {
				u = keep(l, e.Name(), typ)
			}
			if u != nil {
				return u
			}
		}
		return nil
	}
	st, err := files.Lstat(real)
	if err != nil {
		return &Unknown{Why: "lib.fileset." + fn + " " + ev.loader.Rel(real) + ": " + treefs.Reason(err)}
	}
	var u Value
	if st.Mode()&os.ModeDir != 0 {
		u = walk(filepath.Clean(p), real)
	} else {
		u = keep(filepath.Clean(p), filepath.Base(p), fileType(st.Mode()))
	}
	if u != nil {
		return u
	}
	return newFileset(out)
}
