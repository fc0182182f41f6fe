package nixeval

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// The reader's own model of haumea (github:nix-community/haumea), a
// library that turns a directory into an attribute set: lib.load { src,
// loader ? default, transformer ? id, inputs ? { } }. Each directory
// becomes a set, each .nix file an attribute named without ".nix", given
// by loader inputs path; names starting with "_" are left out (haumea's
// private and hidden files). transformer cursor dir runs on every
// directory's set, innermost first. The default loader imports the file
// and, when it is a function, calls it with the inputs plus self, super
// and root (the file's own value, its directory's and the whole tree's).

func haumeaFns() *Attrs {
	fw := newAttrs()
	fw.set("load", prim("load", 1, haumeaLoad))
	loaders := newAttrs()
	loaders.set("default", prim("default", 2, func(ev *Evaluator, a []*Thunk) Value {
		return haumeaDefault(ev, a[0], a[1], nil, nil)
	}))
	loaders.set("verbatim", prim("verbatim", 2, func(ev *Evaluator, a []*Thunk) Value { return ev.importValue(ev.force(a[1])) }))
	loaders.set("path", prim("path", 2, func(ev *Evaluator, a []*Thunk) Value { return ev.force(a[1]) }))
	fw.set("loaders", loaders)
	return fw
}

func haumeaLoad(ev *Evaluator, a []*Thunk) Value {
	args, bad := ev.attrs(a[0])
	if bad != nil {
		return bad
	}
	get := func(n string) (*Thunk, bool) {
		at, ok := args.Get(n)
		if !ok {
			return nil, false
		}
		return at.T, true
	}
	srcT, ok := get("src")
	if !ok {
		return &Unknown{Why: "haumea.load without src"}
	}
	src, ok := ev.realPath(ev.force(srcT))
	if !ok {
		return &Unknown{Why: "haumea.load of a directory outside the tree"}
	}
	inputs, ok := get("inputs")
	if !ok {
		inputs = valThunk(newAttrs())
	}
	loader, hasLoader := get("loader")
	transformer, hasTransformer := get("transformer")
	var root *Thunk
	var dir func(p string, cursor []string) Value
	dir = func(p string, cursor []string) Value {
		ents, err := os.ReadDir(p)
		if err != nil {
			return &Unknown{Why: "haumea.load: " + err.Error()}
		}
		sort.Slice(ents, func(i, j int) bool { return ents[i].Name() < ents[j].Name() })
		out := newAttrs()
		self := valThunk(out)
		for _, e := range ents {
			name := e.Name()
			if strings.HasPrefix(name, "_") {
				continue
			}
			full := filepath.Join(p, name)
			switch {
			case e.IsDir():
				c := append(append([]string(nil), cursor...), name)
				out.setThunk(name, lazy(func() Value { return dir(full, c) }))
			case strings.HasSuffix(name, ".nix"):
				path := valThunk(&Path{P: full, At: srcT.Span()})
				attr := strings.TrimSuffix(name, ".nix")
				if hasLoader {
					out.setThunk(attr, ev.apply2(loader, inputs, path))
				} else {
					sup := self
					out.setThunk(attr, lazy(func() Value { return haumeaDefault(ev, inputs, path, sup, root) }))
				}
			}
		}
		if !hasTransformer {
			return out
		}
		cl := &List{}
		for _, c := range cursor {
			cl.Elems = append(cl.Elems, valThunk(strV(c)))
		}
		return ev.force(ev.apply2(transformer, valThunk(cl), valThunk(out)))
	}
	root = lazy(func() Value { return dir(src, nil) })
	return ev.force(root)
}

// haumeaDefault is haumea's default loader: import the file, call a
// function with the inputs and self, super, root.
func haumeaDefault(ev *Evaluator, inputs, path, super, root *Thunk) Value {
	v := ev.importValue(ev.force(path))
	if _, ok := v.(*Closure); !ok {
		return v
	}
	args := newAttrs()
	if in, ok := ev.force(inputs).(*Attrs); ok {
		if names, ok := in.Names(); ok {
			for _, n := range names {
				args.M[n], _ = in.Get(n)
			}
		}
	}
	self := lazy(func() Value { return ev.call(v, valThunk(args), Span{}) })
	args.setThunk("self", self)
	if super != nil {
		args.setThunk("super", super)
	}
	if root != nil {
		args.setThunk("root", root)
	}
	return ev.force(self)
}
