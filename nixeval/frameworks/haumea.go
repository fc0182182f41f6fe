package frameworks

import (
	"path/filepath"
	"sort"
	"strings"

	"github.com/nixbuild-lint/nixbuild-lint/nixeval/lang"
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

func haumeaFns() *lang.Attrs {
	fw := lang.NewAttrs()
	fw.Set("load", lang.NewPrim("load", 1, haumeaLoad))
	loaders := lang.NewAttrs()
	loaders.Set("default", lang.NewPrim("default", 2, func(ev *lang.Evaluator, a []*lang.Thunk) lang.Value {
		return haumeaDefault(ev, a[0], a[1], nil, nil)
	}))
	loaders.Set("verbatim", lang.NewPrim("verbatim", 2, func(ev *lang.Evaluator, a []*lang.Thunk) lang.Value { return ev.Import(ev.Force(a[1])) }))
	loaders.Set("path", lang.NewPrim("path", 2, func(ev *lang.Evaluator, a []*lang.Thunk) lang.Value { return ev.Force(a[1]) }))
	fw.Set("loaders", loaders)
	return fw
}

func haumeaLoad(ev *lang.Evaluator, a []*lang.Thunk) lang.Value {
	args, bad := ev.ForceAttrs(a[0])
	if bad != nil {
		return bad
	}
	get := func(n string) (*lang.Thunk, bool) {
		at, ok := args.Get(n)
		if !ok {
			return nil, false
		}
		return at.T, true
	}
	srcT, ok := get("src")
	if !ok {
		return &lang.Unknown{Why: "haumea.load without src"}
	}
	src, ok := ev.RealPath(ev.Force(srcT))
	if !ok {
		return &lang.Unknown{Why: "haumea.load of a directory outside the tree"}
	}
	inputs, ok := get("inputs")
	if !ok {
		inputs = lang.ValThunk(lang.NewAttrs())
	}
	loader, hasLoader := get("loader")
	transformer, hasTransformer := get("transformer")
	var root *lang.Thunk
	var dir func(p string, cursor []string) lang.Value
	dir = func(p string, cursor []string) lang.Value {
		ents, err := ev.Loader().Files().ReadDir(p)
		if err != nil {
			return &lang.Unknown{Why: "haumea.load: " + err.Error()}
		}
		sort.Slice(ents, func(i, j int) bool { return ents[i].Name() < ents[j].Name() })
		out := lang.NewAttrs()
		self := lang.ValThunk(out)
		for _, e := range ents {
			name := e.Name()
			if strings.HasPrefix(name, "_") {
				continue
			}
			full := filepath.Join(p, name)
			switch {
			case e.IsDir():
				c := append(append([]string(nil), cursor...), name)
				out.SetThunk(name, lang.Lazy(func() lang.Value { return dir(full, c) }))
			case strings.HasSuffix(name, ".nix"):
				path := lang.ValThunk(&lang.Path{P: full, At: srcT.Span()})
				attr := strings.TrimSuffix(name, ".nix")
				if hasLoader {
					out.SetThunk(attr, ev.Apply2(loader, inputs, path))
				} else {
					sup := self
					out.SetThunk(attr, lang.Lazy(func() lang.Value { return haumeaDefault(ev, inputs, path, sup, root) }))
				}
			}
		}
		if !hasTransformer {
			return out
		}
		cl := &lang.List{}
		for _, c := range cursor {
			cl.Elems = append(cl.Elems, lang.ValThunk(lang.StrV(c)))
		}
		return ev.Force(ev.Apply2(transformer, lang.ValThunk(cl), lang.ValThunk(out)))
	}
	root = lang.Lazy(func() lang.Value { return dir(src, nil) })
	return ev.Force(root)
}

// haumeaDefault is haumea's default loader: import the file, call a
// function with the inputs and self, super, root.
func haumeaDefault(ev *lang.Evaluator, inputs, path, super, root *lang.Thunk) lang.Value {
	v := ev.Import(ev.Force(path))
	if _, ok := v.(*lang.Closure); !ok {
		return v
	}
	args := lang.NewAttrs()
	if in, ok := ev.Force(inputs).(*lang.Attrs); ok {
		if names, ok := in.Names(); ok {
			for _, n := range names {
				args.M[n], _ = in.Get(n)
			}
		}
	}
	self := lang.Lazy(func() lang.Value { return ev.Call(v, lang.ValThunk(args), lang.Span{}) })
	args.SetThunk("self", self)
	if super != nil {
		args.SetThunk("super", super)
	}
	if root != nil {
		args.SetThunk("root", root)
	}
	return ev.Force(self)
}
