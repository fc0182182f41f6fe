package frameworks

import (
	"github.com/nixbuild-lint/nixbuild-lint/nixeval/lang"
	"github.com/nixbuild-lint/nixbuild-lint/nixeval/modsys"
)

// EvalModules is the reader's lib.evalModules, for when nixpkgs' real lib
// is not here: lib.evalModules { modules; specialArgs ? { }; } evaluated
// with the same lazy module system as NixOS hosts (options, defaults,
// submodules, mkIf/mkMerge/priorities), so a fleet's own inventory
// (options.hosts = attrsOf (submodule …)) builds its nixosConfigurations.
// The result has config; options and the rest are unknown. With the
// modules of nixpkgs' nixos/modules/module-list.nix among its modules (and
// nixpkgs' source not here) it is a NixOS system, as nixosSystem's.
func EvalModules() *lang.Prim {
	return lang.NewPrim("evalModules", 1, func(ev *lang.Evaluator, a []*lang.Thunk) lang.Value {
		args, ok := ev.Force(a[0]).(*lang.Attrs)
		if !ok {
			return &lang.Unknown{Why: "lib.evalModules of a value that is not a set", At: a[0].Span()}
		}
		if m, ok := args.Get("modules"); ok {
			// The modules of nixpkgs' module-list.nix among them: a NixOS
			// system built without eval-config.nix, a host as
			// nixosSystem's.
			if l, ok := ev.Force(m.T).(*lang.List); ok && modsys.HasNixOSModules(ev, l) {
				return modsys.System(ev, a[0], a[0].Span(), "nixos")
			}
		}
		hostArgs := lang.NewAttrs()
		if m, ok := args.Get("modules"); ok {
			hostArgs.SetThunk("modules", m.T)
		} else {
			hostArgs.Set("modules", &lang.List{})
		}
		special := lang.NewAttrs()
		if sa, ok := args.Get("specialArgs"); ok {
			if s, ok := ev.Force(sa.T).(*lang.Attrs); ok {
				if names, ok := s.Names(); ok {
					for _, n := range names {
						special.M[n], _ = s.Get(n)
					}
				}
			}
		}
		hostArgs.Set("specialArgs", special)
		h := modsys.NewHost(ev, lang.ValThunk(hostArgs), a[0].Span(), "modules")
		out := lang.NewAttrs()
		out.Set("config", h.Config)
		out.Set("_type", lang.StrV("configuration"))
		rest := &lang.Attrs{Dyn: lang.UnknownSet{Why: "lib.evalModules (the reader's model gives only config):"}}
		return &lang.Attrs{Dyn: lang.OverlaySet{Top: out, Base: rest}}
	})
}
