package modsys

import (
	"github.com/nixbuild-lint/nixbuild-lint/nixeval/lang"
)

// SystemBuilder is lib.nixosSystem (kind "nixos") or darwinSystem ("darwin").
func SystemBuilder(kind string) *lang.Prim {
	return lang.NewPrim("nixosSystem", 1, func(ev *lang.Evaluator, a []*lang.Thunk) lang.Value {
		return System(ev, a[0], a[0].Span(), kind)
	})
}

// System is the value of nixosSystem args (or darwinSystem), a host
// defined at at.
func System(ev *lang.Evaluator, args *lang.Thunk, at lang.Span, kind string) lang.Value {
	h := NewHost(ev, args, at, kind)
	out := lang.NewAttrs()
	out.Host = h
	out.Set("config", h.Config)
	out.Set("pkgs", h.Pkgs)
	out.Set("options", &lang.Unknown{Why: "options"})
	out.Set("_type", lang.StrV("configuration"))
	out.Set("class", lang.StrV(kind))
	out.Set("extendModules", extendModulesPrim(args, kind))
	out.Set("_module", systemModuleAttr(h))
	return out
}

// systemModuleAttr is a system's _module: args (config._module.args, with
// modules, the modules list the system was given, as NixOS's and
// nix-darwin's eval-config put it there) and specialArgs (the specialArgs
// given, with modulesPath).
func systemModuleAttr(h *Host) *lang.Attrs {
	ev := h.Ev
	top := lang.NewAttrs()
	if t, ok := h.argAttr("modules"); ok {
		top.SetThunk("modules", t)
	} else {
		top.Set("modules", &lang.List{})
	}
	args := &lang.Attrs{Dyn: lang.OverlaySet{Top: top, Base: h.Node("_module", "args")}}
	special := lang.Lazy(func() lang.Value {
		out := lang.NewAttrs()
		out.Set("modulesPath", &lang.Path{P: "/<nixpkgs>/nixos/modules", Virtual: true})
		t, ok := h.argAttr("specialArgs")
		if !ok {
			return out
		}
		s, ok := ev.Force(t).(*lang.Attrs)
		if !ok {
			return ev.Force(t)
		}
		return ev.Update(out, s, lang.Span{})
	})
	m := lang.NewAttrs()
	m.Set("args", args)
	m.SetThunk("specialArgs", special)
	return m
}

// extendModulesPrim is <system>.extendModules { modules ? [ ], specialArgs ? { } }:
// the same system with more modules (and special arguments), as a new host.
func extendModulesPrim(base *lang.Thunk, kind string) *lang.Prim {
	return lang.NewPrim("extendModules", 1, func(ev *lang.Evaluator, a []*lang.Thunk) lang.Value {
		orig, ok := ev.Force(base).(*lang.Attrs)
		if !ok {
			return &lang.Unknown{Why: "extendModules of a system whose arguments are unknown"}
		}
		ext, ok := ev.Force(a[0]).(*lang.Attrs)
		if !ok {
			return &lang.Unknown{Why: "extendModules with arguments that are unknown"}
		}
		args := lang.NewAttrs()
		if names, ok := orig.Names(); ok {
			for _, n := range names {
				args.M[n], _ = orig.Get(n)
			}
		}
		if m, ok := ext.Get("modules"); ok {
			before := lang.ValThunk(&lang.List{})
			if o, ok := orig.Get("modules"); ok {
				before = o.T
			}
			added := m.T
			args.SetThunk("modules", lang.Lazy(func() lang.Value {
				l1, bad := ev.ForceList(before)
				if bad != nil {
					return bad
				}
				l2, bad := ev.ForceList(added)
				if bad != nil {
					return bad
				}
				return &lang.List{Elems: append(append([]*lang.Thunk(nil), l1.Elems...), l2.Elems...)}
			}))
		}
		if sa, ok := ext.Get("specialArgs"); ok {
			before := lang.ValThunk(lang.NewAttrs())
			if o, ok := orig.Get("specialArgs"); ok {
				before = o.T
			}
			added := sa.T
			args.SetThunk("specialArgs", lang.Lazy(func() lang.Value {
				b, ok1 := ev.Force(before).(*lang.Attrs)
				x, ok2 := ev.Force(added).(*lang.Attrs)
				if !ok1 || !ok2 {
					return &lang.Unknown{Why: "extendModules: specialArgs unknown"}
				}
				return ev.Update(b, x, lang.Span{})
			}))
		}
		return System(ev, lang.ValThunk(args), a[0].Span(), kind)
	})
}

// nixosModules stands for the modules of nixpkgs' nixos/modules/module-list.nix
// of a nixpkgs input whose source is not here: a module defining nothing
// (the reader's module system has NixOS's options it reads built in), which
// tells lib.evalModules that its modules are a NixOS system's.
type nixosModules struct{}

func (nixosModules) Get(string) (*lang.Attr, bool) { return nil, false }
func (nixosModules) Names() ([]string, bool)       { return []string{}, true }

// NixOSModuleList is the value of `import "${nixpkgs}/nixos/modules/module-list.nix"`
// without nixpkgs' source: a list of one module, the mark of NixOS's modules.
func NixOSModuleList() *lang.List {
	return &lang.List{Elems: []*lang.Thunk{lang.ValThunk(&lang.Attrs{Dyn: nixosModules{}})}}
}

// HasNixOSModules reports whether a list of modules holds NixOS's own
// modules (NixOSModuleList's mark), looking only at elements already
// evaluated: the mark is a value, and concatenating or filtering the list
// keeps it as it is.
func HasNixOSModules(ev *lang.Evaluator, l *lang.List) bool {
	for _, t := range l.Elems {
		if !t.Final() {
			continue
		}
		if a, ok := ev.Force(t).(*lang.Attrs); ok {
			if _, ok := a.Dyn.(nixosModules); ok {
				return true
			}
		}
	}
	return false
}
