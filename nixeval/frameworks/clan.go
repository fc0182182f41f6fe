package frameworks

import (
	"path/filepath"
	"sort"

	"github.com/nixbuild-lint/nixbuild-lint/nixeval/lang"
	"github.com/nixbuild-lint/nixbuild-lint/nixeval/modsys"
)

// The reader's own model of clan-core's lib.clan (also lib.buildClan):
// clan { self, directory ? self, inventory.machines.<name>, machines ? { },
// specialArgs ? { } } makes a machine of every machines/<name> directory
// holding configuration.nix, of every inventory machine and of every entry
// of machines: its modules are that configuration.nix and the entry,
// networking.hostName is its name, the modules are given clan-core (the
// input itself, as clan's machine templates use it) and self, and an
// inventory machineClass of "darwin" makes it a nix-darwin host. The result has the configurations
// at its top and under config, as clan-core's does; the rest (services of
// the inventory, vars) is not read.

func clanPrim(clanCore *lang.Thunk) *lang.Prim {
	return lang.NewPrim("clan", 1, func(ev *lang.Evaluator, a []*lang.Thunk) lang.Value {
		args, bad := ev.ForceAttrs(a[0])
		if bad != nil {
			return bad
		}
		at := a[0].Span()
		get := func(path ...string) (lang.Value, bool) {
			var v lang.Value = args
			for _, p := range path {
				s, ok := v.(*lang.Attrs)
				if !ok {
					return nil, false
				}
				x, ok := s.Get(p)
				if !ok {
					return nil, false
				}
				v = ev.Force(x.T)
			}
			return v, true
		}
		root := ""
		for _, key := range []string{"directory", "self"} {
			if v, ok := get(key); ok {
				if p, ok := ev.RealPath(v); ok {
					root = p
					break
				}
				if s, ok := v.(*lang.Attrs); ok {
					if op, ok := s.Get("outPath"); ok {
						if p, ok := ev.RealPath(ev.Force(op.T)); ok {
							root = p
							break
						}
					}
				}
			}
		}
		names := map[string]bool{}
		if root != "" {
			for _, n := range subdirs(ev, filepath.Join(root, "machines")) {
				if fileExists(ev, filepath.Join(root, "machines", n, "configuration.nix")) {
					names[n] = true
				}
			}
		}
		inventory, _ := get("inventory", "machines")
		given, _ := get("machines")
		for _, src := range []lang.Value{inventory, given} {
			if s, ok := src.(*lang.Attrs); ok {
				if ns, ok := s.Names(); ok {
					for _, n := range ns {
						names[n] = true
					}
				}
			}
		}
		special := lang.NewAttrs()
		special.SetThunk("clan-core", clanCore)
		if sa, ok := get("specialArgs"); ok {
			if s, ok := sa.(*lang.Attrs); ok {
				if ns, ok := s.Names(); ok {
					for _, n := range ns {
						special.M[n], _ = s.Get(n)
					}
				}
			}
		}
		if self, ok := args.Get("self"); ok {
			special.SetThunk("self", self.T)
			if _, ok := special.M["inputs"]; !ok {
				st := self.T
				special.SetThunk("inputs", lang.Lazy(func() lang.Value { return ev.SelectName(ev.Force(st), "inputs", at) }))
			}
		}
		nixos, darwin := lang.NewAttrs(), lang.NewAttrs()
		sorted := make([]string, 0, len(names))
		for n := range names {
			sorted = append(sorted, n)
		}
		sort.Strings(sorted)
		for _, name := range sorted {
			modules := &lang.List{}
			if root != "" {
				if cfg := filepath.Join(root, "machines", name, "configuration.nix"); fileExists(ev, cfg) {
					modules.Elems = append(modules.Elems, lang.ValThunk(&lang.Path{P: cfg, At: at}))
				}
			}
			if g, ok := given.(*lang.Attrs); ok {
				if m, ok := g.Get(name); ok {
					modules.Elems = append(modules.Elems, m.T)
				}
			}
			pin := lang.NewAttrs()
			pin.Set("networking", &lang.Attrs{M: map[string]*lang.Attr{"hostName": {T: lang.ValThunk(lang.StrV(name))}}})
			modules.Elems = append(modules.Elems, lang.ValThunk(pin))
			kind := "nixos"
			if inv, ok := inventory.(*lang.Attrs); ok {
				if m, ok := inv.Get(name); ok {
					if ms, ok := ev.Force(m.T).(*lang.Attrs); ok {
						if c, ok := ms.Get("machineClass"); ok {
							if s, ok := ev.Force(c.T).(*lang.Str); ok && s.S == "darwin" {
								kind = "darwin"
							}
						}
					}
				}
			}
			sys := lang.NewAttrs()
			sys.Set("modules", modules)
			sys.Set("specialArgs", special)
			host := modsys.System(ev, lang.ValThunk(sys), at, kind)
			if kind == "darwin" {
				darwin.Set(name, host)
			} else {
				nixos.Set(name, host)
			}
		}
		top := lang.NewAttrs()
		top.Set("nixosConfigurations", nixos)
		top.Set("darwinConfigurations", darwin)
		config := &lang.Attrs{Dyn: lang.OverlaySet{Top: top, Base: &lang.Attrs{Dyn: lang.UnknownSet{Why: "clan output"}}}}
		out := lang.NewAttrs()
		out.Set("nixosConfigurations", nixos)
		out.Set("darwinConfigurations", darwin)
		out.Set("config", config)
		return &lang.Attrs{Dyn: lang.OverlaySet{Top: out, Base: &lang.Attrs{Dyn: lang.UnknownSet{Why: "clan output"}}}}
	})
}
