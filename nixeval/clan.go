package nixeval

import (
	"path/filepath"
	"sort"
)

// The reader's own model of clan-core's lib.clan (also lib.buildClan):
// clan { self, directory ? self, inventory.machines.<name>, machines ? { },
// specialArgs ? { } } makes a machine of every machines/<name> directory
// holding configuration.nix, of every inventory machine and of every entry
// of machines: its modules are that configuration.nix and the entry,
// networking.hostName is its name, and an inventory machineClass of
// "darwin" makes it a nix-darwin host. The result has the configurations
// at its top and under config, as clan-core's does; the rest (services of
// the inventory, vars) is not read.

func clanPrim() *Prim {
	return prim("clan", 1, func(ev *Evaluator, a []*Thunk) Value {
		args, bad := ev.attrs(a[0])
		if bad != nil {
			return bad
		}
		at := a[0].Span()
		get := func(path ...string) (Value, bool) {
			var v Value = args
			for _, p := range path {
				s, ok := v.(*Attrs)
				if !ok {
					return nil, false
				}
				x, ok := s.Get(p)
				if !ok {
					return nil, false
				}
				v = ev.force(x.T)
			}
			return v, true
		}
		root := ""
		for _, key := range []string{"directory", "self"} {
			if v, ok := get(key); ok {
				if p, ok := ev.realPath(v); ok {
					root = p
					break
				}
				if s, ok := v.(*Attrs); ok {
					if op, ok := s.Get("outPath"); ok {
						if p, ok := ev.realPath(ev.force(op.T)); ok {
							root = p
							break
						}
					}
				}
			}
		}
		names := map[string]bool{}
		if root != "" {
			for _, n := range subdirs(filepath.Join(root, "machines")) {
				if fileExists(filepath.Join(root, "machines", n, "configuration.nix")) {
					names[n] = true
				}
			}
		}
		inventory, _ := get("inventory", "machines")
		given, _ := get("machines")
		for _, src := range []Value{inventory, given} {
			if s, ok := src.(*Attrs); ok {
				if ns, ok := s.Names(); ok {
					for _, n := range ns {
						names[n] = true
					}
				}
			}
		}
		special := newAttrs()
		if sa, ok := get("specialArgs"); ok {
			if s, ok := sa.(*Attrs); ok {
				if ns, ok := s.Names(); ok {
					for _, n := range ns {
						special.M[n], _ = s.Get(n)
					}
				}
			}
		}
		if self, ok := args.Get("self"); ok {
			special.setThunk("self", self.T)
			if _, ok := special.M["inputs"]; !ok {
				st := self.T
				special.setThunk("inputs", lazy(func() Value { return ev.selectName(ev.force(st), "inputs", at) }))
			}
		}
		nixos, darwin := newAttrs(), newAttrs()
		sorted := make([]string, 0, len(names))
		for n := range names {
			sorted = append(sorted, n)
		}
		sort.Strings(sorted)
		for _, name := range sorted {
			modules := &List{}
			if root != "" {
				if cfg := filepath.Join(root, "machines", name, "configuration.nix"); fileExists(cfg) {
					modules.Elems = append(modules.Elems, valThunk(&Path{P: cfg, At: at}))
				}
			}
			if g, ok := given.(*Attrs); ok {
				if m, ok := g.Get(name); ok {
					modules.Elems = append(modules.Elems, m.T)
				}
			}
			pin := newAttrs()
			pin.set("networking", &Attrs{M: map[string]*Attr{"hostName": {T: valThunk(strV(name))}}})
			modules.Elems = append(modules.Elems, valThunk(pin))
			kind := "nixos"
			if inv, ok := inventory.(*Attrs); ok {
				if m, ok := inv.Get(name); ok {
					if ms, ok := ev.force(m.T).(*Attrs); ok {
						if c, ok := ms.Get("machineClass"); ok {
							if s, ok := ev.force(c.T).(*Str); ok && s.S == "darwin" {
								kind = "darwin"
							}
						}
					}
				}
			}
			sys := newAttrs()
			sys.set("modules", modules)
			sys.set("specialArgs", special)
			host := evalSystem(ev, valThunk(sys), at, kind)
			if kind == "darwin" {
				darwin.set(name, host)
			} else {
				nixos.set(name, host)
			}
		}
		top := newAttrs()
		top.set("nixosConfigurations", nixos)
		top.set("darwinConfigurations", darwin)
		config := &Attrs{Dyn: overlaySet{top: top, base: &Attrs{Dyn: unknownSet{"clan output"}}}}
		out := newAttrs()
		out.set("nixosConfigurations", nixos)
		out.set("darwinConfigurations", darwin)
		out.set("config", config)
		return &Attrs{Dyn: overlaySet{top: out, base: &Attrs{Dyn: unknownSet{"clan output"}}}}
	})
}
