package frameworks

import (
	"path/filepath"
	"sort"
	"strings"

	"github.com/nixbuild-lint/nixbuild-lint/nixeval/lang"
	"github.com/nixbuild-lint/nixbuild-lint/nixeval/modsys"
)

// The reader's own model of nixos-unified (github:srid/nixos-unified, named
// nixos-flake until October 2024), for its source is never read:
//
//   - lib.mkFlake { inputs, root, systems ?, specialArgs ? } is flake-parts'
//     mkFlake of one module: the systems, the module argument root, and
//     imports of every entry of the first of root/nix/modules/flake,
//     modules/flake, nix/modules/flake-parts, modules/flake-parts that
//     exists (nixos-unified throws when none does);
//   - its flakeModules.default (flakeModule in older versions) defines the
//     flake output nixos-unified.lib (nixos-flake.lib before the rename):
//     mkLinuxSystem and mkMacosSystem, which make a NixOS (nix-darwin)
//     system of a module with the special argument
//     flake = { self, inputs, config } and nix.settings.max-jobs =
//     mkDefault "auto", plus home-manager's module of the platform when
//     called with { home-manager = true; }. Older versions took the module
//     directly (mkLinuxSystem module), a system first (mkLinuxSystem
//     "x86_64-linux" module), or fixed the Mac's platform
//     (mkARMMacosSystem, mkIntelMacosSystem); all are read;
//   - its flakeModules.autoWire makes nixosConfigurations and
//     darwinConfigurations of configurations/{nixos,darwin}/<name>.nix or
//     <name>/default.nix (mk*System { home-manager = true; }), and
//     nixosModules, darwinModules, homeModules of modules/{nixos,darwin,
//     home} and overlays of overlays/ (each called with the special
//     arguments); home configurations are perSystem, never read.
//
// The options module nixos-unified adds to each system (nixos-unified.*,
// deployment metadata) defines none of the options the rules read and is
// left out.

// unifiedFlakeDirs are the directories of root whose entries lib.mkFlake
// imports, the first that exists.
var unifiedFlakeDirs = []string{"nix/modules/flake", "modules/flake", "nix/modules/flake-parts", "modules/flake-parts"}

// unifiedSystems are lib.mkFlake's default systems.
var unifiedSystems = []string{"x86_64-linux", "x86_64-darwin", "aarch64-linux", "aarch64-darwin"}

func unifiedMkFlake() *lang.Prim {
	return lang.NewPrim("mkFlake", 1, func(ev *lang.Evaluator, a []*lang.Thunk) lang.Value {
		args, bad := ev.ForceAttrs(a[0])
		if bad != nil {
			return bad
		}
		at := a[0].Span()
		module := lang.NewAttrs()
		if s, ok := args.Get("systems"); ok {
			module.SetThunk("systems", s.T)
		} else {
			l := &lang.List{}
			for _, s := range unifiedSystems {
				l.Elems = append(l.Elems, lang.ValThunk(lang.StrV(s)))
			}
			module.Set("systems", l)
		}
		imports := &lang.List{}
		margs := lang.NewAttrs()
		if r, ok := args.Get("root"); ok {
			margs.SetThunk("root", r.T)
			if r.Bind != nil {
				at = r.Bind.Sp
			}
			imports.Elems = unifiedFlakeImports(ev, r.T, at)
		} else {
			imports.Elems = []*lang.Thunk{lang.ValThunk(&lang.Unknown{Why: "nixos-unified's lib.mkFlake was given no root", At: at})}
		}
		mod := lang.NewAttrs()
		mod.Set("args", margs)
		module.Set("_module", mod)
		module.Set("imports", imports)
		return flakeParts(ev, a[0], lang.ValThunk(module), a[0].Span())
	})
}

// unifiedFlakeImports are the modules lib.mkFlake imports from root: every
// entry (attrNames of readDir, so in name order) of the first of
// unifiedFlakeDirs that exists.
func unifiedFlakeImports(ev *lang.Evaluator, root *lang.Thunk, at lang.Span) []*lang.Thunk {
	dir, ok := ev.RealPath(ev.Force(root))
	if !ok {
		why := "nixos-unified's lib.mkFlake: its root is not a directory of the tree"
		if u, isU := ev.Force(root).(*lang.Unknown); isU {
			why = "nixos-unified's lib.mkFlake: root: " + u.Why
		}
		return []*lang.Thunk{lang.ValThunk(&lang.Unknown{Why: why, At: at})}
	}
	files := ev.Loader().Files()
	for _, c := range unifiedFlakeDirs {
		d := filepath.Join(dir, c)
		if st, err := files.Stat(d); err != nil || !st.IsDir() {
			continue
		}
		ents, _ := files.ReadDir(d)
		sort.Slice(ents, func(i, j int) bool { return ents[i].Name() < ents[j].Name() })
		var out []*lang.Thunk
		for _, e := range ents {
			out = append(out, lang.ValThunk(&lang.Path{P: filepath.Join(d, e.Name()), At: at}))
		}
		return out
	}
	return []*lang.Thunk{lang.ValThunk(&lang.Unknown{Why: "nixos-unified's lib.mkFlake: none of " + strings.Join(unifiedFlakeDirs, ", ") + " exists under root", At: at})}
}

// UnifiedFlakeModules is nixos-unified's flakeModules (default, autoWire)
// for an input known as nixos-flake when old is set (its lib is then also
// nixos-flake.lib, as before the rename).
func UnifiedFlakeModules(old bool) *lang.Attrs {
	m := lang.NewAttrs()
	m.Set("default", UnifiedModule(old))
	m.Set("autoWire", unifiedAutoWire())
	return m
}

// UnifiedModule is nixos-unified's default flake module: the flake output
// nixos-unified.lib.
func UnifiedModule(old bool) *lang.Prim {
	return lang.NewPrim("nixos-unified flakeModule", 1, func(ev *lang.Evaluator, a []*lang.Thunk) lang.Value {
		args, bad := ev.ForceAttrs(a[0])
		if bad != nil {
			return bad
		}
		at := ev.CallSpan()
		u := unifiedFlakeOf(args)
		out := lang.NewAttrs()
		lib := lang.NewAttrs()
		lib.SetThunk("lib", lang.LazyAt(at, func() lang.Value { return unifiedLibOf(u) }))
		flake := lang.NewAttrs()
		flake.Set("nixos-unified", lib)
		if old {
			// nixos-flake also gave home-manager's module with its
			// settings as the flake's nixosModules.home-manager (and
			// darwinModules_.home-manager).
			flake.Set("nixos-flake", lib)
			for set, kind := range map[string]string{"nixosModules": "nixos", "darwinModules_": "darwin"} {
				sf := unifiedSpecialArgsFor(u)
				special, _ := sf.Get(kind)
				m := lang.NewAttrs()
				m.Set("imports", &lang.List{Elems: unifiedHomeManager(ev, u, kind, special.T, at)})
				s := lang.NewAttrs()
				s.Set("home-manager", m)
				flake.Set(set, s)
			}
		}
		config := lang.NewAttrs()
		config.Set("flake", flake)
		out.Set("config", config)
		return out
	})
}

// unifiedFlake is what nixos-unified's lib closes over: the flake's self,
// inputs and flake-level config, as thunks.
type unifiedFlake struct{ self, inputs, config *lang.Thunk }

func unifiedFlakeOf(args *lang.Attrs) unifiedFlake {
	var u unifiedFlake
	for n, p := range map[string]**lang.Thunk{"self": &u.self, "inputs": &u.inputs, "config": &u.config} {
		if at, ok := args.Get(n); ok {
			*p = at.T
		} else {
			*p = lang.ValThunk(&lang.Unknown{Why: "nixos-unified's lib: no " + n})
		}
	}
	return u
}

// unifiedLib is self.nixos-unified.lib of a flake-parts flake read by the
// model whose modules do not define it (a flake of lib.mkFlake that never
// imports the default flake module).
func unifiedLib(h *modsys.Host) *lang.Attrs {
	u := unifiedFlake{config: lang.ValThunk(h.Config)}
	u.inputs = lang.ValThunk(&lang.Unknown{Why: "nixos-unified's lib: no inputs"})
	u.self = u.inputs
	if in, ok := h.Special.Get("inputs"); ok {
		u.inputs = in.T
	}
	if s, ok := h.Special.Get("self"); ok {
		u.self = s.T
	}
	out := lang.NewAttrs()
	out.Set("lib", unifiedLibOf(u))
	return out
}

// unifiedLibOf is nixos-unified's lib.
func unifiedLibOf(u unifiedFlake) *lang.Attrs {
	lib := lang.NewAttrs()
	lib.Set("specialArgsFor", unifiedSpecialArgsFor(u))
	lib.Set("mkLinuxSystem", unifiedSystemFn(u, "nixos", ""))
	lib.Set("mkMacosSystem", unifiedSystemFn(u, "darwin", ""))
	lib.Set("mkARMMacosSystem", unifiedSystemFn(u, "darwin", "aarch64-darwin"))
	lib.Set("mkIntelMacosSystem", unifiedSystemFn(u, "darwin", "x86_64-darwin"))
	lib.Set("mkHomeConfiguration", lang.NewPrim("mkHomeConfiguration", 2, func(ev *lang.Evaluator, a []*lang.Thunk) lang.Value {
		return &lang.Unknown{Why: "a home-manager configuration (nixos-unified's mkHomeConfiguration)"}
	}))
	return lib
}

// unifiedSpecialArgsFor is lib.specialArgsFor: common (and nixos) give
// the module argument flake; darwin adds rosettaPkgs, x86_64-darwin's
// package set.
func unifiedSpecialArgsFor(u unifiedFlake) *lang.Attrs {
	flake := lang.NewAttrs()
	flake.SetThunk("self", u.self)
	flake.SetThunk("inputs", u.inputs)
	flake.SetThunk("config", u.config)
	common := lang.NewAttrs()
	common.Set("flake", flake)
	darwin := lang.NewAttrs()
	darwin.Set("flake", flake)
	darwin.SetThunk("rosettaPkgs", lang.Lazy(func() lang.Value {
		return &lang.Attrs{Dyn: lang.UnknownSet{Why: "rosettaPkgs (x86_64-darwin packages)"}}
	}))
	out := lang.NewAttrs()
	out.Set("common", common)
	out.Set("nixos", common)
	out.Set("darwin", darwin)
	return out
}

// unifiedSystemFn is mkLinuxSystem (kind nixos) or mkMacosSystem
// (darwin); with system set, the platform is fixed and the function takes
// the module (mkARMMacosSystem). Otherwise its first argument tells the
// version it was written for: a set of no name but home-manager is
// today's settings ({ home-manager ? false }: module: …), a string the
// system of mid-2023 (system: module: …), anything else the module itself.
func unifiedSystemFn(u unifiedFlake, kind, system string) *lang.Prim {
	name := map[string]string{"nixos": "mkLinuxSystem", "darwin": "mkMacosSystem"}[kind]
	return lang.NewPrim(name, 1, func(ev *lang.Evaluator, a []*lang.Thunk) lang.Value {
		if system != "" {
			return unifiedSystem(ev, u, kind, lang.ValThunk(lang.StrV(system)), nil, a[0])
		}
		switch x := ev.Force(a[0]).(type) {
		case *lang.Str:
			return lang.NewPrim(name, 1, func(ev *lang.Evaluator, b []*lang.Thunk) lang.Value {
				return unifiedSystem(ev, u, kind, a[0], nil, b[0])
			})
		case *lang.Attrs:
			if x.Dyn == nil && unifiedSettings(x) {
				hm := lang.ValThunk(lang.Bool{B: false})
				if at, ok := x.Get("home-manager"); ok {
					hm = at.T
				}
				return lang.NewPrim(name, 1, func(ev *lang.Evaluator, b []*lang.Thunk) lang.Value {
					return unifiedSystem(ev, u, kind, nil, hm, b[0])
				})
			}
		}
		return unifiedSystem(ev, u, kind, nil, nil, a[0])
	})
}

// unifiedSettings tells the settings set of today's mk*System: no
// attribute but home-manager.
func unifiedSettings(a *lang.Attrs) bool {
	for n := range a.M {
		if n != "home-manager" {
			return false
		}
	}
	return true
}

// unifiedSystem is the system mk*System makes of mod: with the special
// arguments of specialArgsFor, nixos-unified's common module, mod, and
// home-manager's module of the platform when hm is true.
func unifiedSystem(ev *lang.Evaluator, u unifiedFlake, kind string, system, hm, mod *lang.Thunk) lang.Value {
	at := mod.Span()
	if p, ok := ev.Force(mod).(*lang.Path); ok && !at.Valid() {
		at = p.At
	}
	if !at.Valid() {
		at = ev.CallSpan()
	}
	sf := unifiedSpecialArgsFor(u)
	special, _ := sf.Get(kind)
	mods := &lang.List{Elems: []*lang.Thunk{lang.ValThunk(unifiedCommon(at)), mod}}
	if hm != nil {
		switch b := ev.Force(hm).(type) {
		case lang.Bool:
			if b.B {
				mods.Elems = append(mods.Elems, unifiedHomeManager(ev, u, kind, special.T, at)...)
			}
		default:
			why := "nixos-unified's home-manager setting is not a known bool"
			if x, isU := b.(*lang.Unknown); isU {
				why += ": " + x.Why
			}
			mods.Elems = append(mods.Elems, lang.ValThunk(&lang.Unknown{Why: why, At: hm.Span()}))
		}
	}
	args := lang.NewAttrs()
	args.Set("modules", mods)
	args.SetThunk("specialArgs", special.T)
	if system != nil {
		args.SetThunk("system", system)
	}
	return modsys.System(ev, lang.ValThunk(args), at, kind)
}

// unifiedCommon is nixos-unified's module of every system: max-jobs and
// the experimental features at mkDefault. Its values have no file of the
// fleet: they are shown at at, where the system is made.
func unifiedCommon(at lang.Span) *lang.Attrs {
	mkDefault := func(v lang.Value) *lang.Attrs {
		d := lang.NewAttrs()
		d.Set("_type", lang.StrV("override"))
		d.Set("priority", lang.Int{I: 1000})
		d.Set("content", v)
		return d
	}
	settings := lang.NewAttrs()
	settings.Set("max-jobs", mkDefault(&lang.Str{S: "auto", At: at}))
	settings.Set("experimental-features", mkDefault(&lang.Str{S: "nix-command flakes", At: at}))
	nix := lang.NewAttrs()
	nix.Set("settings", settings)
	m := lang.NewAttrs()
	m.Set("nix", nix)
	return m
}

// unifiedHomeManager is what { home-manager = true; } adds: home-manager's
// own module of the platform (inputs.home-manager.nixosModules.home-manager,
// darwinModules for nix-darwin; read as any input's module is) and its
// settings.
func unifiedHomeManager(ev *lang.Evaluator, u unifiedFlake, kind string, special *lang.Thunk, at lang.Span) []*lang.Thunk {
	set := map[string]string{"nixos": "nixosModules", "darwin": "darwinModules"}[kind]
	input := lang.LazyAt(at, func() lang.Value {
		hm := ev.SelectName(ev.Force(u.inputs), "home-manager", at)
		return ev.SelectName(ev.SelectName(hm, set, at), "home-manager", at)
	})
	hmSettings := lang.NewAttrs()
	hmSettings.Set("useGlobalPkgs", lang.Bool{B: true})
	hmSettings.Set("useUserPackages", lang.Bool{B: true})
	hmSettings.SetThunk("extraSpecialArgs", special)
	settings := lang.NewAttrs()
	settings.Set("home-manager", hmSettings)
	return []*lang.Thunk{input, lang.ValThunk(settings)}
}

// unifiedAutoWire is nixos-unified's autoWire flake module.
func unifiedAutoWire() *lang.Prim {
	return lang.NewPrim("nixos-unified autoWire", 1, func(ev *lang.Evaluator, a []*lang.Thunk) lang.Value {
		args, bad := ev.ForceAttrs(a[0])
		if bad != nil {
			return bad
		}
		at := ev.CallSpan()
		selfAt, ok := args.Get("self")
		if !ok {
			return &lang.Unknown{Why: "nixos-unified's autoWire was given no self", At: at}
		}
		self := selfAt.T
		root, ok := ev.RealPath(ev.Force(self))
		if !ok {
			return &lang.Unknown{Why: "nixos-unified's autoWire: the flake's self is not a directory of the tree", At: at}
		}
		// The lib autoWire calls is the flake's own output
		// self.nixos-unified.lib, as in nixos-unified.
		libFn := func(name string) lang.Value {
			v := ev.SelectName(ev.Force(self), "nixos-unified", at)
			return ev.SelectName(ev.SelectName(v, "lib", at), name, at)
		}
		hmTrue := lang.NewAttrs()
		hmTrue.Set("home-manager", lang.Bool{B: true})
		flake := lang.NewAttrs()
		for _, c := range []struct{ out, dir, fn string }{
			{"nixosConfigurations", "configurations/nixos", "mkLinuxSystem"},
			{"darwinConfigurations", "configurations/darwin", "mkMacosSystem"},
		} {
			fn := c.fn
			flake.Set(c.out, unifiedNixFiles(ev, filepath.Join(root, c.dir), at, func(p *lang.Thunk) lang.Value {
				mk := ev.Call(libFn(fn), lang.ValThunk(hmTrue), at)
				return ev.Call(mk, p, at)
			}))
		}
		for _, c := range []struct{ out, dir string }{
			{"nixosModules", "modules/nixos"}, {"darwinModules", "modules/darwin"}, {"homeModules", "modules/home"},
		} {
			flake.Set(c.out, unifiedNixFiles(ev, filepath.Join(root, c.dir), at, func(p *lang.Thunk) lang.Value { return ev.Force(p) }))
		}
		flake.Set("overlays", unifiedNixFiles(ev, filepath.Join(root, "overlays"), at, func(p *lang.Thunk) lang.Value {
			common := ev.SelectName(libFn("specialArgsFor"), "common", at)
			return ev.Call(ev.Import(ev.Force(p)), lang.ValThunk(common), at)
		}))
		config := lang.NewAttrs()
		config.Set("flake", flake)
		out := lang.NewAttrs()
		out.Set("config", config)
		return out
	})
}

// unifiedNixFiles is autoWire's forAllNixFiles: for each <name>.nix file
// and each <name>/ directory with a default.nix in dir (none when dir does
// not exist), name = f of its path, located at the autoWire import.
func unifiedNixFiles(ev *lang.Evaluator, dir string, at lang.Span, f func(*lang.Thunk) lang.Value) *lang.Attrs {
	out := lang.NewAttrs()
	files := ev.Loader().Files()
	ents, err := files.ReadDir(dir)
	if err != nil {
		return out
	}
	for _, e := range ents {
		name := e.Name()
		p := filepath.Join(dir, name)
		switch {
		case e.IsDir():
			if st, err := files.Stat(filepath.Join(p, "default.nix")); err != nil || st.IsDir() {
				continue
			}
		case strings.HasSuffix(name, ".nix"):
			name = strings.TrimSuffix(name, ".nix")
		default:
			continue
		}
		pt := lang.ValThunk(&lang.Path{P: p, At: at})
		out.SetThunk(name, lang.LazyAt(at, func() lang.Value { return f(pt) }))
	}
	return out
}
