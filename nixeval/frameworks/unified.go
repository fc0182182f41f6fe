package frameworks

import (
	"path/filepath"
	"sort"
	"strings"

	"github.com/nixbuild-lint/nixbuild-lint/nixeval/lang"
	"github.com/nixbuild-lint/nixbuild-lint/nixeval/modsys"
)

// The reader's own model of nixos-unified (github:srid/nixos-unified):
// lib.mkFlake { inputs, root, … } is flake-parts' mkFlake whose modules are
// the files and directories of root/modules/flake-parts (autowired), and
// the flake output nixos-unified.lib offers mkLinuxSystem and
// mkMacosSystem { home-manager ? … } module: a NixOS (nix-darwin) system of
// that module, given the module argument flake = { self, inputs, config }.

func unifiedMkFlake() *lang.Prim {
	return lang.NewPrim("mkFlake", 1, func(ev *lang.Evaluator, a []*lang.Thunk) lang.Value {
		args, bad := ev.ForceAttrs(a[0])
		if bad != nil {
			return bad
		}
		imports := &lang.List{}
		if r, ok := args.Get("root"); ok {
			if root, ok := ev.RealPath(ev.Force(r.T)); ok {
				dir := filepath.Join(root, "modules", "flake-parts")
				ents, _ := ev.Loader().Files().ReadDir(dir)
				sort.Slice(ents, func(i, j int) bool { return ents[i].Name() < ents[j].Name() })
				for _, e := range ents {
					if e.IsDir() || strings.HasSuffix(e.Name(), ".nix") {
						imports.Elems = append(imports.Elems, lang.ValThunk(&lang.Path{P: filepath.Join(dir, e.Name()), At: a[0].Span()}))
					}
				}
			}
		}
		module := lang.NewAttrs()
		module.Set("imports", imports)
		return flakeParts(ev, a[0], lang.ValThunk(module), a[0].Span())
	})
}

// unifiedLib is self.nixos-unified.lib of a flake built with nixos-unified.
func unifiedLib(h *modsys.Host) *lang.Attrs {
	lib := lang.NewAttrs()
	for name, kind := range map[string]string{"mkLinuxSystem": "nixos", "mkMacosSystem": "darwin"} {
		kind := kind
		lib.Set(name, lang.NewPrim(name, 2, func(ev *lang.Evaluator, a []*lang.Thunk) lang.Value {
			flake := lang.NewAttrs()
			if in, ok := h.Special.Get("inputs"); ok {
				flake.SetThunk("inputs", in.T)
			}
			if s, ok := h.Special.Get("self"); ok {
				flake.SetThunk("self", s.T)
			}
			flake.Set("config", h.Config)
			special := lang.NewAttrs()
			special.Set("flake", flake)
			sys := lang.NewAttrs()
			sys.Set("modules", &lang.List{Elems: []*lang.Thunk{a[1]}})
			sys.Set("specialArgs", special)
			return modsys.System(ev, lang.ValThunk(sys), a[1].Span(), kind)
		}))
	}
	lib.Set("mkHomeConfiguration", lang.NewPrim("mkHomeConfiguration", 2, func(ev *lang.Evaluator, a []*lang.Thunk) lang.Value {
		return &lang.Unknown{Why: "a home-manager configuration"}
	}))
	out := lang.NewAttrs()
	out.Set("lib", lib)
	return out
}
