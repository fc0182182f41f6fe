package frameworks

import (
	"path/filepath"
	"sort"
	"strings"

	"github.com/nixbuild-lint/nixbuild-lint/nixeval/lang"
	"github.com/nixbuild-lint/nixbuild-lint/nixeval/modsys"
)

// The reader's own model of snowfall-lib (github:snowfallorg/lib, on
// flake-utils-plus), for when its source is not in the store (with it, the
// real source is read). Written from its documented behaviour and checked
// against the real source by TestSnowfallModelParity; none of its code is
// used.
//
//   - inputs.snowfall-lib.mkLib { inputs; src; snowfall ? { namespace ?
//     "internal"; root ? src; }; } is a lib: nixpkgs' lib, each input's lib
//     as lib.<input>, mkFlake, and the fleet's own lib/**/default.nix files
//     (each called with inputs, namespace and lib when a function) merged
//     deeply on top.
//   - lib.mkFlake { systems.modules.nixos ? [ ]; systems.modules.darwin ?
//     [ ]; systems.hosts.<name> ? { modules; specialArgs; }; … } builds a host
//     for every <root>/systems/<target>/<name>/default.nix: NixOS where the
//     target is not a darwin one, nix-darwin (through inputs.darwin) where
//     it is; targets naming an image format (x86_64-iso, …-install-iso, …)
//     are nixos-generators images, not configurations, and left out. A
//     host's modules are its default.nix, every
//     <root>/modules/nixos/**/default.nix (modules/darwin for darwin, in the
//     order of their names), its systems.hosts.<name>.modules, then
//     systems.modules.<class>, and home-manager's module when the flake has
//     a home-manager input. Its special arguments are its
//     systems.hosts.<name>.specialArgs plus target, system, systems, host,
//     virtual, inputs, namespace, format and lib, the lib above with the
//     fleet's own lib/ as lib.<namespace> (no longer at the top).
//   - flake-utils-plus (which mkFlake calls) adds a module setting
//     networking.hostName (and networking.domain, for a dotted name) from
//     the host's name and nix.extraOptions enabling flakes. The other
//     outputs (packages, overlays, …) are unknown; mkFlake's own options it
//     does not know pass through as outputs, as flake-utils-plus does.
//   - snowfall-lib's own modules/nixos/user module (snowfallorg.users) is
//     not modelled: a host gets it only from the real source.

// snowfallLibOptions are mkFlake's options snowfall-lib keeps from the
// outputs (the rest pass through flake-utils-plus to the outputs).
var snowfallLibOptions = map[string]bool{
	"systems": true, "modules": true, "overlays": true, "packages": true, "outputs-builder": true,
	"outputsBuilder": true, "packagesPrefix": true, "hosts": true, "homes": true, "channels-config": true,
	"templates": true, "checks": true, "alias": true, "snowfall": true, "shells": true,
	"extra-exported-overlays": true,
	// flake-utils-plus' own arguments.
	"inputs": true, "self": true, "src": true, "hostDefaults": true, "nixosProfiles": true, "channels": true,
	"channelsConfig": true, "sharedOverlays": true, "supportedSystems": true,
}

// snowfallVirtual are the image formats a target may name (searched in
// this order, the first one the target contains).
var snowfallVirtual = []string{
	"amazon", "azure", "cloudstack", "docker", "do", "gce", "install-iso-hyperv", "hyperv",
	"install-iso", "iso", "kexec", "kexec-bundle", "kubevirt", "proxmox-lxc", "lxc-metadata", "lxc",
	"openstack", "proxmox", "qcow", "raw-efi", "raw", "sd-aarch64-installer", "sd-aarch64",
	"vagrant-virtualbox", "virtualbox", "vm-bootloader", "vm-nogui", "vmware", "vm",
}

// snowfallVirtualType is the image format a target names ("" for none).
func snowfallVirtualType(target string) string {
	for _, v := range snowfallVirtual {
		if strings.Contains(target, v) {
			return v
		}
	}
	return ""
}

// SnowfallMkLib is inputs.snowfall-lib.mkLib.
func SnowfallMkLib() *lang.Prim {
	return lang.NewPrim("snowfall-lib.mkLib", 1, func(ev *lang.Evaluator, a []*lang.Thunk) lang.Value {
		sf, bad := newSnowfall(ev, a[0])
		if bad != nil {
			return bad
		}
		return sf.topLib()
	})
}

// SnowfallMkFlake is inputs.snowfall-lib.mkFlake: mkLib, then its
// lib.mkFlake with the same argument.
func SnowfallMkFlake() *lang.Prim {
	return lang.NewPrim("snowfall-lib.mkFlake", 1, func(ev *lang.Evaluator, a []*lang.Thunk) lang.Value {
		sf, bad := newSnowfall(ev, a[0])
		if bad != nil {
			return bad
		}
		return sf.mkFlake(a[0])
	})
}

// snowfall is one mkLib: the fleet's inputs, root and namespace.
type snowfall struct {
	ev        *lang.Evaluator
	at        lang.Span
	inputs    *lang.Thunk
	src       string // the flake's directory (src)
	root      string // snowfall.root, else src
	namespace string
	userLib   *lang.Thunk // the fleet's lib/, merged
	baseLib   *lang.Thunk
}

func newSnowfall(ev *lang.Evaluator, arg *lang.Thunk) (*snowfall, lang.Value) {
	args, bad := ev.ForceAttrs(arg)
	if bad != nil {
		return nil, bad
	}
	sf := &snowfall{ev: ev, at: arg.Span(), namespace: "internal"}
	inAt, ok := args.Get("inputs")
	if !ok {
		return nil, &lang.Unknown{Why: "snowfall-lib mkLib without inputs", At: sf.at}
	}
	sf.inputs = inAt.T
	src := ""
	if sa, ok := args.Get("src"); ok {
		src, _ = ev.RealPath(ev.Force(sa.T))
	}
	if src == "" {
		return nil, &lang.Unknown{Why: "snowfall-lib mkLib: its src is not a directory of the tree", At: sf.at}
	}
	sf.src, sf.root = src, src
	if cfg, ok := args.Get("snowfall"); ok {
		if c, ok := ev.Force(cfg.T).(*lang.Attrs); ok {
			if ns, ok := c.Get("namespace"); ok {
				s, ok := ev.Force(ns.T).(*lang.Str)
				if !ok {
					return nil, &lang.Unknown{Why: "snowfall-lib: the namespace is not a string the reader knows", At: sf.at}
				}
				sf.namespace = s.S
			}
			if r, ok := c.Get("root"); ok {
				p, ok := ev.RealPath(ev.Force(r.T))
				if !ok {
					return nil, &lang.Unknown{Why: "snowfall-lib: its root is not a directory of the tree", At: sf.at}
				}
				sf.root = p
			}
		}
	}
	sf.baseLib = lang.Lazy(sf.makeBaseLib)
	sf.userLib = lang.Lazy(sf.makeUserLib)
	return sf, nil
}

// makeBaseLib: nixpkgs' lib (the fleet's nixpkgs input's, else the
// reader's), each input's lib under its name, mkFlake and snowfall (unknown).
func (sf *snowfall) makeBaseLib() lang.Value {
	ev := sf.ev
	var layers []*lang.Attrs
	nixpkgsLib := ev.Lib
	if ins, ok := ev.Force(sf.inputs).(*lang.Attrs); ok {
		if np, ok := ins.Get("nixpkgs"); ok {
			npt := np.T
			nixpkgsLib = lang.Lazy(func() lang.Value { return ev.SelectName(ev.Force(npt), "lib", sf.at) })
		}
	}
	if l, ok := ev.Force(nixpkgsLib).(*lang.Attrs); ok {
		layers = append(layers, l)
	} else if l, ok := ev.Force(ev.Lib).(*lang.Attrs); ok {
		layers = append(layers, l)
	}
	libs := lang.NewAttrs()
	libs.Set("flake-utils-plus", &lang.Attrs{Dyn: lang.UnknownSet{Why: "lib.flake-utils-plus (snowfall-lib's own input, not modelled):"}})
	if ins, ok := ev.Force(sf.inputs).(*lang.Attrs); ok {
		if names, ok := ins.Names(); ok {
			for _, n := range names {
				if n == "self" {
					continue
				}
				in, _ := ins.Get(n)
				it := in.T
				libs.SetThunk(n, lang.Lazy(func() lang.Value { return ev.SelectName(ev.Force(it), "lib", sf.at) }))
			}
		}
	}
	layers = append(layers, libs)
	own := lang.NewAttrs()
	own.Set("mkFlake", lang.NewPrim("lib.mkFlake", 1, func(ev *lang.Evaluator, a []*lang.Thunk) lang.Value { return sf.mkFlake(a[0]) }))
	own.Set("snowfall", sf.internalLib())
	layers = append(layers, own)
	return &lang.Attrs{Dyn: shallowMerge{layers}}
}

// internalLib is lib.snowfall: the functions of its fs, path and system
// sets that fleets call (fs.get-file and the directory listings, path's
// file names, system.is-darwin/is-linux); the rest is unknown.
func (sf *snowfall) internalLib() *lang.Attrs {
	ev := sf.ev
	unknown := func(set string) *lang.Attrs {
		return &lang.Attrs{Dyn: lang.UnknownSet{Why: "lib.snowfall." + set + " (not modelled):"}}
	}
	dirArg := func(t *lang.Thunk) (string, lang.Value) {
		v := ev.Force(t)
		if u, ok := v.(*lang.Unknown); ok {
			return "", u
		}
		p, ok := ev.RealPath(v)
		if !ok {
			return "", &lang.Unknown{Why: "lib.snowfall.fs: a directory outside the tree", At: t.Span()}
		}
		return p, nil
	}
	under := func(base string) *lang.Prim {
		return lang.NewPrim("get-file", 1, func(ev *lang.Evaluator, a []*lang.Thunk) lang.Value {
			s, ok := ev.Force(a[0]).(*lang.Str)
			if !ok {
				return &lang.Unknown{Why: "lib.snowfall.fs.get-file of something not a string", At: a[0].Span()}
			}
			return pathString(filepath.Join(base, s.S), a[0].Span())
		})
	}
	// listing: the files (dirs false) or directories of dir, recursively
	// or not, kept by keep.
	listing := func(name string, recursive, dirs bool, keep func(string) bool) *lang.Prim {
		return lang.NewPrim(name, 1, func(ev *lang.Evaluator, a []*lang.Thunk) lang.Value {
			dir, bad := dirArg(a[0])
			if bad != nil {
				return bad
			}
			out := &lang.List{}
			for _, p := range walkSorted(ev, dir, recursive, dirs, keep) {
				out.Elems = append(out.Elems, lang.ValThunk(pathString(p, a[0].Span())))
			}
			return out
		})
	}
	any := func(string) bool { return true }
	nonDefault := func(n string) bool { return strings.HasSuffix(n, ".nix") && n != "default.nix" }
	isDefault := func(n string) bool { return n == "default.nix" }
	nixFile := func(n string) bool { return strings.HasSuffix(n, ".nix") }
	fs := lang.NewAttrs()
	fs.Set("get-file", under(sf.src))
	fs.Set("get-snowfall-file", under(sf.root))
	fs.Set("get-files", listing("get-files", false, false, any))
	fs.Set("get-files-recursive", listing("get-files-recursive", true, false, any))
	fs.Set("get-nix-files", listing("get-nix-files", false, false, nixFile))
	fs.Set("get-nix-files-recursive", listing("get-nix-files-recursive", true, false, nixFile))
	fs.Set("get-default-nix-files", listing("get-default-nix-files", false, false, isDefault))
	fs.Set("get-default-nix-files-recursive", listing("get-default-nix-files-recursive", true, false, isDefault))
	fs.Set("get-non-default-nix-files", listing("get-non-default-nix-files", false, false, nonDefault))
	fs.Set("get-non-default-nix-files-recursive", listing("get-non-default-nix-files-recursive", true, false, nonDefault))
	fs.Set("get-directories", listing("get-directories", false, true, any))
	path := lang.NewAttrs()
	path.Set("get-file-name-without-extension", lang.NewPrim("get-file-name-without-extension", 1, func(ev *lang.Evaluator, a []*lang.Thunk) lang.Value {
		v := ev.Force(a[0])
		name := ""
		switch x := v.(type) {
		case *lang.Path:
			name = filepath.Base(x.P)
		case *lang.Str:
			name = filepath.Base(x.S)
		case *lang.Unknown:
			return x
		default:
			return &lang.Unknown{Why: "lib.snowfall.path.get-file-name-without-extension of a " + v.Kind(), At: a[0].Span()}
		}
		if i := strings.LastIndex(name, "."); i > 0 {
			name = name[:i]
		}
		return lang.StrV(name)
	}))
	system := lang.NewAttrs()
	for _, c := range []struct{ name, infix string }{{"is-darwin", "darwin"}, {"is-linux", "linux"}} {
		system.Set(c.name, lang.NewPrim(c.name, 1, func(ev *lang.Evaluator, a []*lang.Thunk) lang.Value {
			v := ev.Force(a[0])
			s, ok := v.(*lang.Str)
			if !ok {
				if u, ok := v.(*lang.Unknown); ok {
					return u
				}
				return &lang.Unknown{Why: "lib.snowfall.system." + c.name + " of a " + v.Kind(), At: a[0].Span()}
			}
			return &lang.Bool{B: strings.Contains(s.S, c.infix)}
		}))
	}
	out := lang.NewAttrs()
	out.Set("fs", &lang.Attrs{Dyn: lang.OverlaySet{Top: fs, Base: unknown("fs")}})
	out.Set("path", &lang.Attrs{Dyn: lang.OverlaySet{Top: path, Base: unknown("path")}})
	out.Set("system", &lang.Attrs{Dyn: lang.OverlaySet{Top: system, Base: unknown("system")}})
	return &lang.Attrs{Dyn: lang.OverlaySet{Top: out, Base: unknown("")}}
}

// pathString is "${dir}/name" as snowfall-lib builds its paths: a string
// that stays a path of the tree (for import, readDir, …).
func pathString(p string, at lang.Span) *lang.Str {
	return &lang.Str{S: p, At: at, Path: &lang.Path{P: p, At: at}}
}

// systemLib is the lib modules get: the base lib with the fleet's own lib
// as lib.<namespace>.
func (sf *snowfall) systemLib() *lang.Attrs {
	ns := lang.NewAttrs()
	ns.SetThunk(sf.namespace, sf.userLib)
	base, _ := sf.ev.Force(sf.baseLib).(*lang.Attrs)
	if base == nil {
		base = lang.NewAttrs()
	}
	return &lang.Attrs{Dyn: shallowMerge{[]*lang.Attrs{base, ns}}}
}

// topLib is what mkLib returns: the base lib with the fleet's own lib
// merged deeply on top.
func (sf *snowfall) topLib() lang.Value {
	base, _ := sf.ev.Force(sf.baseLib).(*lang.Attrs)
	user, ok := sf.ev.Force(sf.userLib).(*lang.Attrs)
	if base == nil {
		base = lang.NewAttrs()
	}
	if !ok {
		return base
	}
	return &lang.Attrs{Dyn: deepMerge{sf.ev, []*lang.Attrs{base, user}}}
}

// makeUserLib merges every <root>/lib/**/default.nix, each called (when a
// function) with the arguments it names of inputs, snowfall-inputs,
// namespace and lib.
func (sf *snowfall) makeUserLib() lang.Value {
	ev := sf.ev
	files := defaultNixFiles(ev, filepath.Join(sf.root, "lib"))
	auto := lang.NewAttrs()
	auto.SetThunk("inputs", sf.inputs)
	auto.Set("snowfall-inputs", &lang.Attrs{Dyn: lang.UnknownSet{Why: "snowfall-lib's own inputs:"}})
	auto.Set("namespace", lang.StrV(sf.namespace))
	auto.SetThunk("lib", lang.Lazy(func() lang.Value { return sf.systemLib() }))
	var layers []*lang.Attrs
	for _, f := range files {
		v := ev.Import(&lang.Path{P: f, At: sf.at})
		if c, ok := v.(*lang.Closure); ok {
			given := lang.NewAttrs()
			if c.L.HasSet {
				for _, fm := range c.L.Formals {
					if at, ok := auto.Get(fm.Name); ok {
						given.M[fm.Name] = at
					}
				}
			}
			v = ev.Call(c, lang.ValThunk(given), sf.at)
		}
		s, ok := v.(*lang.Attrs)
		if !ok {
			if u, ok := v.(*lang.Unknown); ok {
				return u
			}
			return &lang.Unknown{Why: "snowfall-lib: " + f + " is not a set of functions", At: sf.at}
		}
		layers = append(layers, s)
	}
	return &lang.Attrs{Dyn: deepMerge{ev, layers}}
}

// defaultNixFiles are the default.nix files below dir, at any depth, in
// the order of their paths ("a/default.nix" before "a/b/default.nix").
func defaultNixFiles(ev *lang.Evaluator, dir string) []string {
	return walkSorted(ev, dir, true, false, func(n string) bool { return n == "default.nix" })
}

// walkSorted lists dir as snowfall-lib's fs functions do, each directory's
// entries by name: its directories (dirs), or its files that keep takes,
// below every subdirectory too when recursive.
func walkSorted(ev *lang.Evaluator, dir string, recursive, dirs bool, keep func(string) bool) []string {
	var out []string
	var walk func(d string)
	walk = func(d string) {
		ents, err := ev.Loader().Files().ReadDir(d)
		if err != nil {
			return
		}
		sort.Slice(ents, func(i, j int) bool { return ents[i].Name() < ents[j].Name() })
		for _, e := range ents {
			p := filepath.Join(d, e.Name())
			switch {
			case e.IsDir() && dirs:
				out = append(out, p)
			case e.IsDir() && recursive:
				walk(p)
			case !e.IsDir() && !dirs && keep(e.Name()):
				out = append(out, p)
			}
		}
	}
	walk(dir)
	return out
}

// moduleNames are the modules of <root>/modules/<class>: each
// default.nix below it, named by its directory relative to it, in the
// order of those names.
func (sf *snowfall) modulesOf(class string) ([]string, map[string]string) {
	dir := filepath.Join(sf.root, "modules", class)
	byName := map[string]string{}
	var names []string
	for _, f := range defaultNixFiles(sf.ev, dir) {
		rel, err := filepath.Rel(dir, filepath.Dir(f))
		if err != nil {
			continue
		}
		if rel == "." {
			rel = ""
		}
		byName[rel] = f
		names = append(names, rel)
	}
	sort.Strings(names)
	return names, byName
}

// mkFlake is lib.mkFlake opts.
func (sf *snowfall) mkFlake(arg *lang.Thunk) lang.Value {
	ev := sf.ev
	opts, bad := ev.ForceAttrs(arg)
	if bad != nil {
		return bad
	}
	at := sf.at
	if sp := arg.Span(); sp.Valid() {
		at = sp
	}
	// systems.modules.<class> and systems.hosts.<name>.
	systems := attrsOf(ev, opts, "systems")
	classModules := func(class string) []*lang.Thunk {
		if systems == nil {
			return nil
		}
		mods := attrsOf(ev, systems, "modules")
		if mods == nil {
			return nil
		}
		if l, ok := mods.Get(class); ok {
			if list, ok := ev.Force(l.T).(*lang.List); ok {
				return list.Elems
			}
			return []*lang.Thunk{l.T} // not a list: Nix stops; the reader keeps it as a module
		}
		return nil
	}
	var hostOverrides *lang.Attrs
	if systems != nil {
		hostOverrides = attrsOf(ev, systems, "hosts")
	}
	override := func(name string) *lang.Attrs {
		if hostOverrides == nil {
			return nil
		}
		return attrsOf(ev, hostOverrides, name)
	}

	type meta struct{ name, target, path string }
	var metas []meta
	for _, target := range subdirs(ev, filepath.Join(sf.root, "systems")) {
		for _, name := range subdirs(ev, filepath.Join(sf.root, "systems", target)) {
			p := filepath.Join(sf.root, "systems", target, name, "default.nix")
			if fileExists(ev, p) {
				metas = append(metas, meta{name, target, p})
			}
		}
	}
	// systems, the module argument: each host's name, system and output.
	created := lang.NewAttrs()
	for _, m := range metas {
		s := lang.NewAttrs()
		s.Set("system", lang.StrV(m.target))
		s.Set("target", lang.StrV(m.target))
		s.Set("channelName", lang.StrV("nixpkgs"))
		s.Set("output", lang.StrV(sf.output(m.target)))
		created.Set(m.name, &lang.Attrs{Dyn: lang.OverlaySet{Top: s, Base: &lang.Attrs{Dyn: lang.UnknownSet{Why: "snowfall-lib systems." + m.name}}}})
	}
	outs := map[string]*lang.Attrs{"nixosConfigurations": lang.NewAttrs(), "darwinConfigurations": lang.NewAttrs()}
	for _, m := range metas {
		output := sf.output(m.target)
		if outs[output] == nil {
			outs[output] = lang.NewAttrs()
		}
		if v := snowfallVirtualType(m.target); v != "" {
			outs[output].Set(m.name, &lang.Unknown{Why: "snowfall-lib builds systems/" + m.target + "/" + m.name + " as a " + v + " image with nixos-generators, not a configuration"})
			continue
		}
		kind, class := "nixos", "nixos"
		if strings.Contains(m.target, "darwin") {
			kind, class = "darwin", "darwin"
		}
		hostFile := &lang.Path{P: m.path, At: at}
		// Where the host is: its own default.nix.
		hostAt := at
		if _, src, err := ev.Loader().Load(m.path, lang.Span{}); err == nil {
			hostAt = lang.Span{Src: src, Start: 0, End: 0}
		}
		modules := &lang.List{Elems: []*lang.Thunk{lang.ValThunk(hostFile)}}
		names, byName := sf.modulesOf(class)
		for _, n := range names {
			modules.Elems = append(modules.Elems, lang.ValThunk(&lang.Path{P: byName[n], At: at}))
		}
		ov := override(m.name)
		if ov != nil {
			if l, ok := ov.Get("modules"); ok {
				if list, ok := ev.Force(l.T).(*lang.List); ok {
					modules.Elems = append(modules.Elems, list.Elems...)
				} else {
					modules.Elems = append(modules.Elems, lang.ValThunk(&lang.Unknown{Why: "snowfall-lib: systems.hosts." + m.name + ".modules is not a list the reader knows", At: at}))
				}
			}
		}
		modules.Elems = append(modules.Elems, classModules(class)...)
		if hm := sf.homeManagerModule(kind, at); hm != nil {
			modules.Elems = append(modules.Elems, hm)
		}
		modules.Elems = append(modules.Elems, lang.ValThunk(fupModule(m.name)))

		special := lang.NewAttrs()
		if ov != nil {
			if sa := attrsOf(ev, ov, "specialArgs"); sa != nil {
				if ns, ok := sa.Names(); ok {
					for _, n := range ns {
						special.M[n], _ = sa.Get(n)
					}
				}
			}
		}
		special.Set("target", lang.StrV(m.target))
		special.Set("system", lang.StrV(m.target))
		special.Set("systems", created)
		special.Set("lib", sf.systemLib())
		special.Set("host", lang.StrV(m.name))
		special.Set("virtual", &lang.Bool{B: false})
		special.SetThunk("inputs", sf.inputs)
		special.Set("namespace", lang.StrV(sf.namespace))
		if kind == "darwin" {
			special.Set("format", lang.StrV("darwin"))
		} else {
			special.Set("format", lang.StrV("linux"))
		}
		special.Set("channel", &lang.Attrs{Dyn: lang.UnknownSet{Why: "flake-utils-plus channel"}})

		sys := lang.NewAttrs()
		sys.Set("system", lang.StrV(m.target))
		sys.Set("modules", modules)
		sys.Set("specialArgs", special)
		if kind == "darwin" && !sf.hasInput("darwin") {
			outs[output].Set(m.name, &lang.Unknown{Why: "snowfall-lib builds darwin hosts with inputs.darwin, which this flake does not have", At: hostAt})
			continue
		}
		outs[output].Set(m.name, modsys.System(ev, lang.ValThunk(sys), hostAt, kind))
	}
	out := lang.NewAttrs()
	// Options snowfall-lib does not take pass through flake-utils-plus to
	// the outputs.
	if names, ok := opts.Names(); ok {
		for _, n := range names {
			if !snowfallLibOptions[n] {
				out.M[n], _ = opts.Get(n)
			}
		}
	}
	for k, v := range outs {
		out.Set(k, v)
	}
	mods := lang.NewAttrs()
	names, byName := sf.modulesOf("nixos")
	for _, n := range names {
		mods.Set(n, &lang.Path{P: byName[n], At: at})
	}
	out.Set("nixosModules", mods)
	dmods := lang.NewAttrs()
	names, byName = sf.modulesOf("darwin")
	for _, n := range names {
		dmods.Set(n, &lang.Path{P: byName[n], At: at})
	}
	out.Set("darwinModules", dmods)
	out.SetThunk("lib", sf.userLib)
	return &lang.Attrs{Dyn: lang.OverlaySet{Top: out, Base: &lang.Attrs{Dyn: lang.UnknownSet{Why: "snowfall-lib mkFlake output (not modelled):"}}}}
}

// output is the flake output a target's hosts go to.
func (sf *snowfall) output(target string) string {
	switch v := snowfallVirtualType(target); {
	case v != "":
		return v + "Configurations"
	case strings.Contains(target, "darwin"):
		return "darwinConfigurations"
	}
	return "nixosConfigurations"
}

func (sf *snowfall) hasInput(name string) bool {
	ins, ok := sf.ev.Force(sf.inputs).(*lang.Attrs)
	if !ok {
		return false
	}
	_, ok = ins.Get(name)
	return ok
}

// homeManagerModule is home-manager's NixOS (or darwin) module, which
// snowfall-lib adds to every host when the flake has a home-manager input.
// It is shown at the mkFlake call (at) that adds it.
func (sf *snowfall) homeManagerModule(kind string, at lang.Span) *lang.Thunk {
	if !sf.hasInput("home-manager") {
		return nil
	}
	ev := sf.ev
	out := "nixosModules"
	if kind == "darwin" {
		out = "darwinModules"
	}
	return lang.LazyAt(at, func() lang.Value {
		hm := ev.SelectName(ev.Force(sf.inputs), "home-manager", sf.at)
		return ev.SelectName(ev.SelectName(hm, out, sf.at), "home-manager", sf.at)
	})
}

// fupModule is what flake-utils-plus' mkFlake adds to each host: its
// hostName (the last label of a dotted name, the rest its domain) and
// flakes enabled in nix.conf.
func fupModule(name string) *lang.Attrs {
	labels := strings.Split(name, ".")
	net := lang.NewAttrs()
	net.Set("hostName", lang.StrV(labels[len(labels)-1]))
	if len(labels) > 1 {
		rev := make([]string, 0, len(labels)-1)
		for i := len(labels) - 2; i >= 0; i-- {
			rev = append(rev, labels[i])
		}
		net.Set("domain", lang.StrV(strings.Join(rev, ".")))
	}
	nix := lang.NewAttrs()
	nix.Set("extraOptions", lang.StrV("extra-experimental-features = nix-command flakes"))
	m := lang.NewAttrs()
	m.Set("networking", net)
	m.Set("nix", nix)
	return m
}

// shallowMerge is layers[0] // layers[1] // …: a name from the last layer
// holding it.
type shallowMerge struct{ layers []*lang.Attrs }

func (m shallowMerge) Get(name string) (*lang.Attr, bool) {
	for i := len(m.layers) - 1; i >= 0; i-- {
		if at, ok := m.layers[i].Get(name); ok {
			return at, true
		}
	}
	return nil, false
}

func (m shallowMerge) Names() ([]string, bool) { return unionNames(m.layers) }

// deepMerge is lib.recursiveUpdate over layers, left to right: where two
// layers hold sets under one name, those are merged the same way.
type deepMerge struct {
	ev     *lang.Evaluator
	layers []*lang.Attrs
}

func (m deepMerge) Get(name string) (*lang.Attr, bool) {
	var found []*lang.Attr
	for _, l := range m.layers {
		if at, ok := l.Get(name); ok {
			found = append(found, at)
		}
	}
	switch len(found) {
	case 0:
		return nil, false
	case 1:
		return found[0], true
	}
	last := found[len(found)-1]
	return &lang.Attr{T: lang.Lazy(func() lang.Value {
		var sets []*lang.Attrs
		for i := len(found) - 1; i >= 0; i-- {
			s, ok := m.ev.Force(found[i].T).(*lang.Attrs)
			if !ok || isDerivation(m.ev, s) {
				break
			}
			sets = append([]*lang.Attrs{s}, sets...)
		}
		if len(sets) < 2 {
			return m.ev.Force(last.T)
		}
		return &lang.Attrs{Dyn: deepMerge{m.ev, sets}}
	}), Bind: last.Bind}, true
}

func (m deepMerge) Names() ([]string, bool) { return unionNames(m.layers) }

func isDerivation(ev *lang.Evaluator, s *lang.Attrs) bool {
	if t, ok := s.Get("type"); ok {
		if v, ok := ev.Force(t.T).(*lang.Str); ok && v.S == "derivation" {
			return true
		}
	}
	return false
}

func unionNames(layers []*lang.Attrs) ([]string, bool) {
	seen := map[string]bool{}
	var out []string
	for _, l := range layers {
		ns, ok := l.Names()
		if !ok {
			return nil, false
		}
		for _, n := range ns {
			if !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
	}
	sort.Strings(out)
	return out, true
}
