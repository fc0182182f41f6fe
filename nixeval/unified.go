package nixeval

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// The reader's own model of nixos-unified (github:srid/nixos-unified):
// lib.mkFlake { inputs, root, … } is flake-parts' mkFlake whose modules are
// the files and directories of root/modules/flake-parts (autowired), and
// the flake output nixos-unified.lib offers mkLinuxSystem and
// mkMacosSystem { home-manager ? … } module: a NixOS (nix-darwin) system of
// that module, given the module argument flake = { self, inputs, config }.

func unifiedMkFlake() *Prim {
	return prim("mkFlake", 1, func(ev *Evaluator, a []*Thunk) Value {
		args, bad := ev.attrs(a[0])
		if bad != nil {
			return bad
		}
		imports := &List{}
		if r, ok := args.Get("root"); ok {
			if root, ok := ev.realPath(ev.force(r.T)); ok {
				dir := filepath.Join(root, "modules", "flake-parts")
				ents, _ := os.ReadDir(dir)
				sort.Slice(ents, func(i, j int) bool { return ents[i].Name() < ents[j].Name() })
				for _, e := range ents {
					if e.IsDir() || strings.HasSuffix(e.Name(), ".nix") {
						imports.Elems = append(imports.Elems, valThunk(&Path{P: filepath.Join(dir, e.Name()), At: a[0].Span()}))
					}
				}
			}
		}
		module := newAttrs()
		module.set("imports", imports)
		return flakeParts(ev, a[0], valThunk(module), a[0].Span())
	})
}

// unifiedLib is self.nixos-unified.lib of a flake built with nixos-unified.
func (h *hostEval) unifiedLib() *Attrs {
	lib := newAttrs()
	for name, kind := range map[string]string{"mkLinuxSystem": "nixos", "mkMacosSystem": "darwin"} {
		kind := kind
		lib.set(name, prim(name, 2, func(ev *Evaluator, a []*Thunk) Value {
			flake := newAttrs()
			if in, ok := h.special.Get("inputs"); ok {
				flake.setThunk("inputs", in.T)
			}
			if s, ok := h.special.Get("self"); ok {
				flake.setThunk("self", s.T)
			}
			flake.set("config", h.config)
			special := newAttrs()
			special.set("flake", flake)
			sys := newAttrs()
			sys.set("modules", &List{Elems: []*Thunk{a[1]}})
			sys.set("specialArgs", special)
			return evalSystem(ev, valThunk(sys), a[1].Span(), kind)
		}))
	}
	lib.set("mkHomeConfiguration", prim("mkHomeConfiguration", 2, func(ev *Evaluator, a []*Thunk) Value {
		return &Unknown{Why: "a home-manager configuration"}
	}))
	out := newAttrs()
	out.set("lib", lib)
	return out
}
