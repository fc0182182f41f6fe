package nixeval

import (
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
func mkFlakePrim() *Prim {
	return prim("mkFlake", 2, func(ev *Evaluator, a []*Thunk) Value {
		return flakeParts(ev, a[0], a[1], a[1].Span())
	})
}

func flakeParts(ev *Evaluator, argsT, module *Thunk, at Span) Value {
	args, _ := ev.force(argsT).(*Attrs)
	hostArgs := newAttrs()
	hostArgs.set("modules", &List{Elems: []*Thunk{module}})
	special := newAttrs()
	var inputs *Thunk
	if args != nil {
		if i, ok := args.Get("inputs"); ok {
			inputs = i.T
		} else if s, ok := args.Get("self"); ok {
			// mkFlake { inherit self; }: the inputs are self.inputs.
			self := s.T
			inputs = lazy(func() Value { return ev.selectName(ev.force(self), "inputs", at) })
		}
		if sa, ok := args.Get("specialArgs"); ok {
			if s, ok := ev.force(sa.T).(*Attrs); ok {
				if names, ok := s.Names(); ok {
					for _, n := range names {
						special.M[n], _ = s.Get(n)
					}
				}
			}
		}
	}
	if inputs == nil {
		inputs = valThunk(&Unknown{Why: "mkFlake was given no inputs"})
	}
	h := newHost(ev, valThunk(hostArgs), at, "flake")
	special.setThunk("inputs", inputs)
	special.setThunk("self", lazy(func() Value { return ev.selectName(ev.force(inputs), "self", at) }))
	special.set("withSystem", withSystemPrim())
	special.set("moduleWithSystem", moduleWithSystemPrim())
	special.set("getSystem", prim("getSystem", 1, func(ev *Evaluator, a []*Thunk) Value {
		return &Attrs{Dyn: unknownSet{"perSystem of flake-parts"}}
	}))
	special.set("flake-parts-lib", flakePartsLib())
	hostArgs.set("specialArgs", special)
	return &Attrs{Dyn: flakeOutputs{h}}
}

// flakePartsLib is the flake-parts-lib module argument.
func flakePartsLib() *Attrs {
	l := newAttrs()
	l.set("importApply", prim("importApply", 2, func(ev *Evaluator, a []*Thunk) Value {
		return ev.call(ev.importValue(ev.force(a[0])), a[1], a[0].Span())
	}))
	l.set("mkFlake", mkFlakePrim())
	return &Attrs{Dyn: overlaySet{top: l, base: &Attrs{Dyn: unknownSet{"flake-parts-lib."}}}}
}

// withSystem system f calls f with the perSystem arguments of system: its
// pkgs know the platform and can build a NixOS system (pkgs.nixos).
func withSystemPrim() *Prim {
	return prim("withSystem", 2, func(ev *Evaluator, a []*Thunk) Value {
		return ev.call(ev.force(a[1]), valThunk(perSystemArgs(ev, a[0])), a[1].Span())
	})
}

func perSystemArgs(ev *Evaluator, system *Thunk) *Attrs {
	args := newAttrs()
	args.setThunk("system", system)
	args.set("pkgs", &Attrs{Dyn: systemPkgs{ev, system}})
	for _, n := range []string{"config", "self'", "inputs'", "options"} {
		args.set(n, &Attrs{Dyn: unknownSet{"perSystem " + n}})
	}
	return args
}

// moduleWithSystem f is a NixOS module that calls f with the perSystem
// arguments (unknown here) and then with the module's own arguments.
func moduleWithSystemPrim() *Prim {
	return prim("moduleWithSystem", 1, func(ev *Evaluator, a []*Thunk) Value {
		f := a[0]
		return prim("moduleWithSystem module", 1, func(ev *Evaluator, b []*Thunk) Value {
			sys := valThunk(&Unknown{Why: "the system of moduleWithSystem"})
			inner := ev.call(ev.force(f), valThunk(perSystemArgs(ev, sys)), f.Span())
			return ev.call(inner, b[0], f.Span())
		})
	})
}

// systemPkgs is withSystem's pkgs: packages exist, the platform is known.
type systemPkgs struct {
	ev     *Evaluator
	system *Thunk
}

func (p systemPkgs) Get(name string) (*Attr, bool) {
	ev := p.ev
	switch name {
	case "lib":
		return &Attr{T: ev.lib}, true
	case "system":
		return &Attr{T: p.system}, true
	case "stdenv", "stdenvNoCC":
		plat := newAttrs()
		plat.setThunk("system", p.system)
		std := newAttrs()
		std.set("hostPlatform", plat)
		std.set("buildPlatform", plat)
		std.setThunk("system", p.system)
		return &Attr{T: valThunk(std)}, true
	case "nixos":
		// pkgs.nixos module: a NixOS system of this platform.
		return &Attr{T: valThunk(prim("nixos", 1, func(ev *Evaluator, a []*Thunk) Value {
			args := newAttrs()
			mods := a[0]
			if _, isList := ev.force(mods).(*List); !isList {
				mods = valThunk(&List{Elems: []*Thunk{a[0]}})
			}
			args.setThunk("modules", mods)
			args.setThunk("system", p.system)
			return ev.call(systemBuilder(ev, "nixos"), valThunk(args), a[0].Span())
		}))}, true
	}
	return &Attr{T: valThunk(&Drv{Name: name})}, true
}

func (p systemPkgs) Names() ([]string, bool) { return nil, false }

// deferredModule tells the flake-level paths whose values are modules that
// merge every definition (flake-parts declares them deferredModule):
// flake.{nixos,darwin,homeManager}Modules.<n> and flake.modules.<class>.<n>.
func deferredModule(path []string) bool {
	if len(path) == 3 && path[0] == "flake" && strings.HasSuffix(path[1], "Modules") {
		return true
	}
	return len(path) == 4 && path[0] == "flake" && path[1] == "modules"
}

// mergedModule is the module a deferred option stands for: one that imports
// each of its definitions, in module order.
func (h *hostEval) mergedModule(path []string) Value {
	var elems []*Thunk
	for _, l := range h.leaves(path) {
		if l.cond == condFalse {
			continue
		}
		elems = append(elems, l.t)
	}
	if len(elems) == 1 {
		return h.ev.force(elems[0])
	}
	m := newAttrs()
	m.set("imports", &List{Elems: elems})
	return m
}

// overlaySet is top // base where base's names cannot be listed: the known
// attributes of top are kept, the others are asked of base. (Nix's `//`
// keeps every attribute of the right side, whatever the left side holds.)
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

func (l inputLib) Get(name string) (*Attr, bool) {
	ev := l.in.ev
	if fw := l.in.frameworkFns(); fw != nil {
		if at, ok := fw.M[name]; ok {
			return at, true
		}
	}
	if base, ok := ev.force(ev.lib).(*Attrs); ok {
		if at, ok := base.Get(name); ok {
			return at, true
		}
	}
	return &Attr{T: valThunk(l.in.helperPrim("lib." + name))}, true
}

// Names are nixpkgs lib's, so that nixpkgs.lib // home-manager.lib is a
// set the reader can still list.
func (l inputLib) Names() ([]string, bool) {
	ev := l.in.ev
	base, ok := ev.force(ev.lib).(*Attrs)
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
func (in inputStandIn) frameworkFns() *Attrs {
	name := in.framework()
	if name == "" {
		return nil
	}
	if fw, ok := sessionOf(in.ev).frameworks[name]; ok {
		return fw
	}
	fw := newAttrs()
	switch name {
	case "flake-parts":
		fw.set("mkFlake", mkFlakePrim())
	case "flake-utils":
		for name, arity := range map[string]int{"eachDefaultSystem": 1, "eachDefaultSystemPassThrough": 1, "eachDefaultSystemMap": 1, "eachSystem": 2, "eachSystemPassThrough": 2, "eachSystemMap": 2} {
			fw.set(name, eachSystemPrim(name, arity))
		}
		systems := []string{"aarch64-linux", "aarch64-darwin", "x86_64-darwin", "x86_64-linux"}
		l := &List{}
		sys := newAttrs()
		for _, s := range systems {
			l.Elems = append(l.Elems, valThunk(strV(s)))
			sys.set(s, strV(s))
		}
		fw.set("defaultSystems", l)
		fw.set("allSystems", l)
		fw.set("system", sys)
	case "haumea":
		fw = haumeaFns()
	case "nixos-unified":
		fw.set("mkFlake", unifiedMkFlake())
	case "clan-core":
		fw.set("clan", clanPrim())
		fw.set("buildClan", clanPrim())
	}
	sessionOf(in.ev).frameworks[name] = fw
	return fw
}

// eachSystemPrim models flake-utils' eachSystem family: the outputs are
// named like the attributes f returns for one system, each per system and
// unknown; nothing in them is a host. (…Map and …PassThrough return f's
// result as it is.)
func eachSystemPrim(name string, arity int) *Prim {
	return prim(name, arity, func(ev *Evaluator, a []*Thunk) Value {
		f := ev.force(a[len(a)-1])
		sys := valThunk(strV("x86_64-linux"))
		if arity == 2 {
			if l, ok := ev.force(a[0]).(*List); ok && len(l.Elems) > 0 {
				sys = l.Elems[0]
			}
		}
		one, ok := ev.call(f, sys, a[len(a)-1].Span()).(*Attrs)
		if !ok {
			return &Attrs{Dyn: unknownSet{"outputs of flake-utils." + name}}
		}
		if strings.HasSuffix(name, "PassThrough") {
			return one
		}
		names, ok := one.Names()
		if !ok || strings.HasSuffix(name, "Map") {
			return &Attrs{Dyn: unknownSet{"outputs of flake-utils." + name}}
		}
		out := newAttrs()
		for _, n := range names {
			out.set(n, &Attrs{Dyn: unknownSet{"per-system output " + n}})
		}
		return out
	})
}

// helperPrim is a function of a flake input whose source is not here (a
// framework such as nixos-unified, clan or snowfall-lib). When its argument
// holds a literal nixosConfigurations (or flake.nixosConfigurations), that
// is read; otherwise its result is unknown, naming the input and function.
func (in inputStandIn) helperPrim(fn string) *Prim {
	why := "function " + fn + " of flake input " + in.name + " (its source is not here)"
	return helperCall(fn, why, 3)
}

// helperCall reads one argument of an input's helper; when it holds no
// configurations, the result may be a function taking more (mkFlakeWith
// settings { … }): a set that can also be called, up to depth arguments.
func helperCall(fn, why string, depth int) *Prim {
	return prim(fn, 1, func(ev *Evaluator, a []*Thunk) Value {
		arg, ok := ev.force(a[0]).(*Attrs)
		if !ok {
			return &Unknown{Why: why}
		}
		found := newAttrs()
		for _, src := range []*Attrs{arg, attrsAt(ev, arg, "flake"), attrsAt(ev, arg, "outputs")} {
			if src == nil {
				continue
			}
			for _, k := range []string{"nixosConfigurations", "darwinConfigurations"} {
				if at, ok := src.Get(k); ok {
					if _, isSet := ev.force(at.T).(*Attrs); isSet {
						found.M[k] = at
					}
				}
			}
		}
		if len(found.M) == 0 {
			if depth > 1 {
				return &Attrs{Dyn: helperResult{fn, why, depth - 1}}
			}
			return &Unknown{Why: why}
		}
		return &Attrs{Dyn: overlaySet{top: found, base: &Attrs{Dyn: unknownSet{why + ":"}}}}
	})
}

// helperResult is what an input's helper returned when nothing in its
// argument was a configuration: unknown, but callable with one more
// argument in case it is a curried function.
type helperResult struct {
	fn, why string
	depth   int
}

func (r helperResult) Get(name string) (*Attr, bool) {
	if name == "__functor" {
		next := helperCall(r.fn, r.why, r.depth)
		return &Attr{T: valThunk(prim("__functor", 2, func(ev *Evaluator, a []*Thunk) Value {
			return ev.call(next, a[1], a[1].Span())
		}))}, true
	}
	if name == "__toString" {
		return nil, false
	}
	return &Attr{T: valThunk(&Unknown{Why: r.why})}, true
}

func (r helperResult) Names() ([]string, bool) { return nil, false }

func attrsAt(ev *Evaluator, a *Attrs, name string) *Attrs {
	if at, ok := a.Get(name); ok {
		if s, ok := ev.force(at.T).(*Attrs); ok {
			return s
		}
	}
	return nil
}

// importTree is vic/import-tree called on a path (or a list of paths): a
// module importing every .nix file below it, except those with a path
// component starting with "_", in path order.
func importTreePrim() *Prim {
	return prim("import-tree", 2, func(ev *Evaluator, a []*Thunk) Value {
		var roots []Value
		switch v := ev.force(a[1]).(type) {
		case *List:
			for _, e := range v.Elems {
				roots = append(roots, ev.force(e))
			}
		default:
			roots = append(roots, v)
		}
		imports := &List{}
		for _, r := range roots {
			p, ok := ev.realPath(r)
			if !ok {
				if m, isSet := r.(*Attrs); isSet {
					imports.Elems = append(imports.Elems, valThunk(m))
					continue
				}
				imports.Elems = append(imports.Elems, valThunk(&Unknown{Why: "import-tree of a path outside the tree"}))
				continue
			}
			for _, f := range treeFiles(p) {
				imports.Elems = append(imports.Elems, valThunk(&Path{P: f, At: a[1].Span()}))
			}
		}
		m := newAttrs()
		m.set("imports", imports)
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

// Option types. The reader models only the types whose structure decides
// how definitions merge into values: submodules (alone, or in attrsOf,
// lazyAttrsOf) evaluate their definitions as a module system of their own,
// with the type's modules and the `name` argument. Every other type is a
// value with its name, and type functions (enum, either, …) return one.
type typesStandIn struct{}

func optionType(name string, nested *Thunk, modules *Thunk) *Attrs {
	t := newAttrs()
	t.set("_type", strV("option-type"))
	t.set("name", strV(name))
	if nested != nil {
		t.setThunk("nestedType", nested)
	}
	if modules != nil {
		t.setThunk("modules", modules)
	}
	return t
}

func (typesStandIn) Get(name string) (*Attr, bool) {
	v := Value(nil)
	switch name {
	case "submodule":
		v = prim(name, 1, func(ev *Evaluator, a []*Thunk) Value {
			return optionType("submodule", nil, valThunk(&List{Elems: []*Thunk{a[0]}}))
		})
	case "submoduleWith":
		v = prim(name, 1, func(ev *Evaluator, a []*Thunk) Value {
			mods := valThunk(&List{})
			if s, ok := ev.force(a[0]).(*Attrs); ok {
				if m, ok := s.Get("modules"); ok {
					mods = m.T
				}
			}
			return optionType("submodule", nil, mods)
		})
	case "attrsOf", "lazyAttrsOf", "listOf", "nullOr", "uniq", "unique", "functionTo":
		v = prim(name, 1, func(ev *Evaluator, a []*Thunk) Value { return optionType(name, a[0], nil) })
	case "enum", "oneOf", "strMatching", "separatedString":
		v = prim(name, 1, func(ev *Evaluator, a []*Thunk) Value { return optionType(name, nil, nil) })
	case "either", "coercedTo", "addCheck":
		v = prim(name, 2, func(ev *Evaluator, a []*Thunk) Value { return optionType(name, nil, nil) })
	case "str", "bool", "int", "float", "number", "path", "package", "unspecified", "anything", "raw",
		"lines", "attrs", "port", "nonEmptyStr", "singleLineStr", "deferredModule", "listOfStrings",
		"commas", "envVar", "pathInStore", "externalPath", "shellPackage", "nonEmptyListOf", "luaInline", "json":
		v = optionType(name, nil, nil)
	case "ints", "numbers":
		v = &Attrs{Dyn: typesStandIn{}}
	}
	if v == nil {
		return &Attr{T: valThunk(&Unknown{Why: "option type " + name})}, true
	}
	return &Attr{T: valThunk(v)}, true
}
func (typesStandIn) Names() ([]string, bool) { return nil, false }

// submoduleType reads an option type: the modules of a submodule, and
// whether its values are a set of submodules (attrsOf) or one.
func submoduleType(ev *Evaluator, t Value) (modules *Thunk, perName bool, ok bool) {
	a, isSet := t.(*Attrs)
	if !isSet || a.Dyn != nil {
		return nil, false, false
	}
	name, _ := a.M["name"]
	if name == nil {
		return nil, false, false
	}
	n, _ := ev.force(name.T).(*Str)
	if n == nil {
		return nil, false, false
	}
	switch n.S {
	case "submodule":
		if m, ok := a.M["modules"]; ok {
			return m.T, false, true
		}
	case "attrsOf", "lazyAttrsOf":
		if nt, ok := a.M["nestedType"]; ok {
			if m, _, ok := submoduleType(ev, ev.force(nt.T)); ok {
				return m, true, true
			}
		}
	}
	return nil, false, false
}

// submoduleAt finds a declared submodule option that path is in: the
// submodule's own evaluation and the rest of the path inside it.
func (h *hostEval) submoduleAt(path []string) (*hostEval, []string) {
	for i := 1; i <= len(path); i++ {
		decl, under := h.declLookup(path[:i])
		if decl == nil {
			if !under {
				return nil, nil
			}
			continue
		}
		tt, ok := decl.M["type"]
		if !ok {
			return nil, nil
		}
		mods, perName, ok := submoduleType(h.ev, h.ev.force(tt.T))
		if !ok {
			return nil, nil
		}
		at := i
		if perName {
			if i == len(path) {
				return nil, nil // the set of submodules itself: a config node
			}
			at = i + 1
		}
		return h.submodule(path[:at], mods), path[at:]
	}
	return nil, nil
}

// submodule evaluates the definitions of one submodule value.
func (h *hostEval) submodule(path []string, mods *Thunk) *hostEval {
	key := pathKey(path)
	if s, ok := h.subs[key]; ok {
		return s
	}
	ev := h.ev
	list := &List{}
	if l, ok := ev.force(mods).(*List); ok {
		list.Elems = append(list.Elems, l.Elems...)
	}
	for _, l := range h.leaves(path) {
		if l.cond != condFalse {
			list.Elems = append(list.Elems, l.t)
		}
	}
	args := newAttrs()
	args.set("modules", list)
	special := newAttrs()
	if names, ok := h.special.Names(); ok {
		for _, n := range names {
			special.M[n], _ = h.special.Get(n)
		}
	}
	special.set("name", strV(path[len(path)-1]))
	args.set("specialArgs", special)
	s := newHost(ev, valThunk(args), h.at, "submodule")
	h.subs[key] = s
	return s
}
