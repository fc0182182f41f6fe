package nixeval

import (
	"sort"

	"github.com/nixbuild-lint/nixbuild-lint/nixeval/frameworks"
	"github.com/nixbuild-lint/nixbuild-lint/nixeval/lang"
)

// framework tells which flake framework the reader models an input is
// (by what the input is: see kind). flake-utils-plus has flake-utils'
// functions.
func (in inputStandIn) framework() string {
	switch k := in.kind(); k {
	case kindFlakeParts, kindFlakeUtils, kindImportTree, kindHaumea, kindBlueprint, kindUnified, kindClan, kindColmena, kindGlobset:
		return k
	case kindFlakeUtilsPlus:
		return kindFlakeUtils
	}
	return ""
}

// inputLib is the lib attribute of a flake input. Inputs are not fetched:
// every input's lib is nixpkgs' lib (so nixosSystem and darwinSystem work
// through nixpkgs, nix-darwin or a board vendor's flake alike), plus the
// functions of the framework the input is (flake-parts' mkFlake,
// flake-utils' eachSystem family). Any other function is the input's own
// helper, whose source is not here: see helperPrim.
type inputLib struct{ in inputStandIn }

func (l inputLib) Get(name string) (*lang.Attr, bool) {
	ev := l.in.ev
	if fw := l.in.frameworkFns(); fw != nil {
		if at, ok := fw.M[name]; ok {
			return at, true
		}
	}
	if l.in.lib != "" {
		if real := l.in.realLib(); real != nil {
			if at, ok := real.Get(name); ok {
				return at, true
			}
		}
	}
	if base, ok := ev.Force(ev.Lib).(*lang.Attrs); ok {
		if at, ok := base.Get(name); ok {
			return at, true
		}
	}
	return &lang.Attr{T: lang.ValThunk(l.in.helperPrim("lib." + name))}, true
}

// Names are nixpkgs lib's, so that nixpkgs.lib // home-manager.lib is a
// set the reader can still list.
func (l inputLib) Names() ([]string, bool) {
	ev := l.in.ev
	if l.in.lib != "" {
		if real := l.in.realLib(); real != nil {
			return real.Names()
		}
	}
	base, ok := ev.Force(ev.Lib).(*lang.Attrs)
	if !ok {
		return nil, false
	}
	names, ok := base.Names()
	if !ok {
		return nil, false
	}
	if fw := l.in.frameworkFns(); fw != nil {
		for n := range fw.M {
			names = append(names, n)
		}
		sort.Strings(names)
	}
	return names, true
}

// frameworkFns are the functions of the framework the input is (nil for
// none), made once per evaluator and framework.
func (in inputStandIn) frameworkFns() *lang.Attrs {
	name := in.framework()
	if name == "" {
		return nil
	}
	if fw, ok := sessionOf(in.ev).frameworks[name]; ok {
		return fw
	}
	fw := frameworks.Lib(name, lang.ValThunk(&lang.Attrs{Dyn: in}))
	sessionOf(in.ev).frameworks[name] = fw
	return fw
}

// helperPrim is a function of a flake input whose source is not here (a
// framework such as nixos-unified, clan or snowfall-lib). When its argument
// holds a literal nixosConfigurations (or flake.nixosConfigurations), that
// is read; otherwise its result is unknown, naming the input and function.
func (in inputStandIn) helperPrim(fn string) *lang.Prim {
	why := "function " + fn + " of flake input " + in.name + " (its source is not here)"
	return helperCall(fn, why, 3)
}

// helperCall reads one argument of an input's helper; when it holds no
// configurations, the result may be a function taking more (mkFlakeWith
// settings { … }): a set that can also be called, up to depth arguments.
func helperCall(fn, why string, depth int) *lang.Prim {
	return lang.NewPrim(fn, 1, func(ev *lang.Evaluator, a []*lang.Thunk) lang.Value {
		arg, ok := ev.Force(a[0]).(*lang.Attrs)
		if !ok {
			return &lang.Unknown{Why: why}
		}
		found := lang.NewAttrs()
		for _, src := range []*lang.Attrs{arg, attrsAt(ev, arg, "flake"), attrsAt(ev, arg, "outputs")} {
			if src == nil {
				continue
			}
			for _, k := range []string{"nixosConfigurations", "darwinConfigurations"} {
				if at, ok := src.Get(k); ok {
					if _, isSet := ev.Force(at.T).(*lang.Attrs); isSet {
						found.M[k] = at
					}
				}
			}
		}
		if len(found.M) == 0 {
			if depth > 1 {
				return &lang.Attrs{Dyn: helperResult{fn, why, depth - 1}}
			}
			return &lang.Unknown{Why: why}
		}
		return &lang.Attrs{Dyn: lang.OverlaySet{Top: found, Base: &lang.Attrs{Dyn: lang.UnknownSet{Why: why + ":"}}}}
	})
}

// helperResult is what an input's helper returned when nothing in its
// argument was a configuration: unknown, but callable with one more
// argument in case it is a curried function.
type helperResult struct {
	fn, why string
	depth   int
}

func (r helperResult) Get(name string) (*lang.Attr, bool) {
	if name == "__functor" {
		next := helperCall(r.fn, r.why, r.depth)
		return &lang.Attr{T: lang.ValThunk(lang.NewPrim("__functor", 2, func(ev *lang.Evaluator, a []*lang.Thunk) lang.Value {
			return ev.Call(next, a[1], a[1].Span())
		}))}, true
	}
	if name == "__toString" {
		return nil, false
	}
	return &lang.Attr{T: lang.ValThunk(&lang.Unknown{Why: r.why})}, true
}

func (r helperResult) Names() ([]string, bool) { return nil, false }

// Unlisted names the input's function.
func (r helperResult) Unlisted() string { return r.why }

func attrsAt(ev *lang.Evaluator, a *lang.Attrs, name string) *lang.Attrs {
	if at, ok := a.Get(name); ok {
		if s, ok := ev.Force(at.T).(*lang.Attrs); ok {
			return s
		}
	}
	return nil
}
