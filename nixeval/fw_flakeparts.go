package nixeval

import (
	"github.com/nixbuild-lint/nixbuild-lint/nixeval/lang"
	"github.com/nixbuild-lint/nixbuild-lint/nixeval/modsys"

	"os"
	"path/filepath"
	"sort"
	"strings"
)

// The reader's own model of flake-parts (hercules-ci/flake-parts): mkFlake
// evaluates the flake-level modules with the same lazy module system that
// reads NixOS hosts, and the flake's outputs are config.flake. Only what
// host discovery needs is modelled: imports, the module arguments flake
// modules take, options declared at flake level (inventories), deferred
// modules (flake.nixosModules.<n>, flake.modules.<class>.<n>) that merge
// every definition of a name. perSystem is never read.

// mkFlake is flake-parts.lib.mkFlake args module.
func mkFlakePrim() *lang.Prim {
	return lang.NewPrim("mkFlake", 2, func(ev *lang.Evaluator, a []*lang.Thunk) lang.Value {
		return flakeParts(ev, a[0], a[1], a[1].Span())
	})
}

func flakeParts(ev *lang.Evaluator, argsT, module *lang.Thunk, at lang.Span) lang.Value {
	args, _ := ev.Force(argsT).(*lang.Attrs)
	hostArgs := lang.NewAttrs()
	hostArgs.Set("modules", &lang.List{Elems: []*lang.Thunk{module}})
	special := lang.NewAttrs()
	var inputs *lang.Thunk
	if args != nil {
		if i, ok := args.Get("inputs"); ok {
			inputs = i.T
		} else if s, ok := args.Get("self"); ok {
			// mkFlake { inherit self; }: the inputs are self.inputs.
			self := s.T
			inputs = lang.Lazy(func() lang.Value { return ev.SelectName(ev.Force(self), "inputs", at) })
		}
		if sa, ok := args.Get("specialArgs"); ok {
			if s, ok := ev.Force(sa.T).(*lang.Attrs); ok {
				if names, ok := s.Names(); ok {
					for _, n := range names {
						special.M[n], _ = s.Get(n)
					}
				}
			}
		}
	}
	if inputs == nil {
		inputs = lang.ValThunk(&lang.Unknown{Why: "mkFlake was given no inputs"})
	}
	h := modsys.NewHost(ev, lang.ValThunk(hostArgs), at, "flake")
	special.SetThunk("inputs", inputs)
	special.SetThunk("self", lang.Lazy(func() lang.Value { return ev.SelectName(ev.Force(inputs), "self", at) }))
	special.Set("withSystem", withSystemPrim())
	special.Set("moduleWithSystem", moduleWithSystemPrim())
	special.Set("getSystem", lang.NewPrim("getSystem", 1, func(ev *lang.Evaluator, a []*lang.Thunk) lang.Value {
		return &lang.Attrs{Dyn: lang.UnknownSet{Why: "perSystem of flake-parts"}}
	}))
	special.Set("flake-parts-lib", flakePartsLib())
	hostArgs.Set("specialArgs", special)
	return &lang.Attrs{Dyn: flakeOutputs{h}}
}

// flakePartsLib is the flake-parts-lib module argument.
func flakePartsLib() *lang.Attrs {
	l := lang.NewAttrs()
	l.Set("importApply", lang.NewPrim("importApply", 2, func(ev *lang.Evaluator, a []*lang.Thunk) lang.Value {
		return ev.Call(ev.Import(ev.Force(a[0])), a[1], a[0].Span())
	}))
	l.Set("mkFlake", mkFlakePrim())
	return &lang.Attrs{Dyn: lang.OverlaySet{Top: l, Base: &lang.Attrs{Dyn: lang.UnknownSet{Why: "flake-parts-lib."}}}}
}

// withSystem system f calls f with the perSystem arguments of system: its
// pkgs know the platform and can build a NixOS system (pkgs.nixos).
func withSystemPrim() *lang.Prim {
	return lang.NewPrim("withSystem", 2, func(ev *lang.Evaluator, a []*lang.Thunk) lang.Value {
		return ev.Call(ev.Force(a[1]), lang.ValThunk(perSystemArgs(ev, a[0])), a[1].Span())
	})
}

func perSystemArgs(ev *lang.Evaluator, system *lang.Thunk) *lang.Attrs {
	args := lang.NewAttrs()
	args.SetThunk("system", system)
	args.Set("pkgs", &lang.Attrs{Dyn: systemPkgs{ev, system}})
	for _, n := range []string{"config", "self'", "inputs'", "options"} {
		args.Set(n, &lang.Attrs{Dyn: lang.UnknownSet{Why: "perSystem " + n}})
	}
	return args
}

// moduleWithSystem f is a NixOS module that calls f with the perSystem
// arguments (unknown here) and then with the module's own arguments.
func moduleWithSystemPrim() *lang.Prim {
	return lang.NewPrim("moduleWithSystem", 1, func(ev *lang.Evaluator, a []*lang.Thunk) lang.Value {
		f := a[0]
		return lang.NewPrim("moduleWithSystem module", 1, func(ev *lang.Evaluator, b []*lang.Thunk) lang.Value {
			sys := lang.ValThunk(&lang.Unknown{Why: "the system of moduleWithSystem"})
			inner := ev.Call(ev.Force(f), lang.ValThunk(perSystemArgs(ev, sys)), f.Span())
			return ev.Call(inner, b[0], f.Span())
		})
	})
}

// systemPkgs is withSystem's pkgs: packages exist, the platform is known.
type systemPkgs struct {
	ev     *lang.Evaluator
	system *lang.Thunk
}

func (p systemPkgs) Get(name string) (*lang.Attr, bool) {
	ev := p.ev
	switch name {
	case "lib":
		return &lang.Attr{T: ev.Lib}, true
	case "system":
		return &lang.Attr{T: p.system}, true
	case "stdenv", "stdenvNoCC":
		plat := lang.NewAttrs()
		plat.SetThunk("system", p.system)
		std := lang.NewAttrs()
		std.Set("hostPlatform", plat)
		std.Set("buildPlatform", plat)
		std.SetThunk("system", p.system)
		return &lang.Attr{T: lang.ValThunk(std)}, true
	case "nixos":
		// pkgs.nixos module: a NixOS system of this platform.
		return &lang.Attr{T: lang.ValThunk(lang.NewPrim("nixos", 1, func(ev *lang.Evaluator, a []*lang.Thunk) lang.Value {
			args := lang.NewAttrs()
			mods := a[0]
			if _, isList := ev.Force(mods).(*lang.List); !isList {
				mods = lang.ValThunk(&lang.List{Elems: []*lang.Thunk{a[0]}})
			}
			args.SetThunk("modules", mods)
			args.SetThunk("system", p.system)
			return ev.Call(systemBuilder("nixos"), lang.ValThunk(args), a[0].Span())
		}))}, true
	}
	return &lang.Attr{T: lang.ValThunk(&lang.Drv{Name: name})}, true
}

func (p systemPkgs) Names() ([]string, bool) { return nil, false }

// framework tells which flake framework an input is, by its url (or, when
// flake.nix does not write one, by the names such inputs usually have).
func (in inputStandIn) framework() string {
	for _, fw := range []string{"flake-parts", "flake-utils", "import-tree", "haumea", "numtide/blueprint", "nixos-unified", "clan-core"} {
		if strings.Contains(in.url, fw) {
			return strings.TrimPrefix(fw, "numtide/")
		}
	}
	if in.url == "" {
		switch in.name {
		case "flake-parts", "parts":
			return "flake-parts"
		case "flake-utils", "utils":
			return "flake-utils"
		case "import-tree":
			return "import-tree"
		case "haumea":
			return "haumea"
		case "blueprint":
			return "blueprint"
		case "nixos-unified":
			return "nixos-unified"
		case "clan-core":
			return "clan-core"
		}
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
	fw := lang.NewAttrs()
	switch name {
	case "flake-parts":
		fw.Set("mkFlake", mkFlakePrim())
	case "flake-utils":
		for name, arity := range map[string]int{"eachDefaultSystem": 1, "eachDefaultSystemPassThrough": 1, "eachDefaultSystemMap": 1, "eachSystem": 2, "eachSystemPassThrough": 2, "eachSystemMap": 2} {
			fw.Set(name, eachSystemPrim(name, arity))
		}
		systems := []string{"aarch64-linux", "aarch64-darwin", "x86_64-darwin", "x86_64-linux"}
		l := &lang.List{}
		sys := lang.NewAttrs()
		for _, s := range systems {
			l.Elems = append(l.Elems, lang.ValThunk(lang.StrV(s)))
			sys.Set(s, lang.StrV(s))
		}
		fw.Set("defaultSystems", l)
		fw.Set("allSystems", l)
		fw.Set("system", sys)
	case "haumea":
		fw = haumeaFns()
	case "nixos-unified":
		fw.Set("mkFlake", unifiedMkFlake())
	case "clan-core":
		input := lang.ValThunk(&lang.Attrs{Dyn: in})
		fw.Set("clan", clanPrim(input))
		fw.Set("buildClan", clanPrim(input))
	}
	sessionOf(in.ev).frameworks[name] = fw
	return fw
}

// eachSystemPrim models flake-utils' eachSystem family: the outputs are
// named like the attributes f returns for one system, each per system and
// unknown; nothing in them is a host. (…Map and …PassThrough return f's
// result as it is.)
func eachSystemPrim(name string, arity int) *lang.Prim {
	return lang.NewPrim(name, arity, func(ev *lang.Evaluator, a []*lang.Thunk) lang.Value {
		f := ev.Force(a[len(a)-1])
		sys := lang.ValThunk(lang.StrV("x86_64-linux"))
		if arity == 2 {
			if l, ok := ev.Force(a[0]).(*lang.List); ok && len(l.Elems) > 0 {
				sys = l.Elems[0]
			}
		}
		one, ok := ev.Call(f, sys, a[len(a)-1].Span()).(*lang.Attrs)
		if !ok {
			return &lang.Attrs{Dyn: lang.UnknownSet{Why: "outputs of flake-utils." + name}}
		}
		if strings.HasSuffix(name, "PassThrough") {
			return one
		}
		names, ok := one.Names()
		if !ok || strings.HasSuffix(name, "Map") {
			return &lang.Attrs{Dyn: lang.UnknownSet{Why: "outputs of flake-utils." + name}}
		}
		out := lang.NewAttrs()
		for _, n := range names {
			out.Set(n, &lang.Attrs{Dyn: lang.UnknownSet{Why: "per-system output " + n}})
		}
		return out
	})
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

// importTree is vic/import-tree called on a path (or a list of paths): a
// module importing every .nix file below it, except those with a path
// component starting with "_", in path order.
func importTreePrim() *lang.Prim {
	return lang.NewPrim("import-tree", 2, func(ev *lang.Evaluator, a []*lang.Thunk) lang.Value {
		var roots []lang.Value
		switch v := ev.Force(a[1]).(type) {
		case *lang.List:
			for _, e := range v.Elems {
				roots = append(roots, ev.Force(e))
			}
		default:
			roots = append(roots, v)
		}
		imports := &lang.List{}
		for _, r := range roots {
			p, ok := ev.RealPath(r)
			if !ok {
				if m, isSet := r.(*lang.Attrs); isSet {
					imports.Elems = append(imports.Elems, lang.ValThunk(m))
					continue
				}
				imports.Elems = append(imports.Elems, lang.ValThunk(&lang.Unknown{Why: "import-tree of a path outside the tree"}))
				continue
			}
			for _, f := range treeFiles(p) {
				imports.Elems = append(imports.Elems, lang.ValThunk(&lang.Path{P: f, At: a[1].Span()}))
			}
		}
		m := lang.NewAttrs()
		m.Set("imports", imports)
		return m
	})
}

func treeFiles(root string) []string {
	st, err := os.Stat(root)
	if err != nil {
		return nil
	}
	if !st.IsDir() {
		return []string{root}
	}
	var out []string
	_ = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		if rel != "." && strings.HasPrefix(d.Name(), "_") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.IsDir() && strings.HasSuffix(p, ".nix") {
			out = append(out, p)
		}
		return nil
	})
	sort.Strings(out)
	return out
}
