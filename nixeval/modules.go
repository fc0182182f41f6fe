package nixeval

import (
	"sort"
	"strings"
)

// hostEval is one nixosSystem call: its module tree, and a lazily merged
// `config` in which every option is merged the way NixOS merges it, on the
// first read of that option only.
type hostEval struct {
	ev         *Evaluator
	name       string
	kind       string // "nixos" or "darwin"
	args       *Thunk
	at         Span
	collecting bool
	collected  bool
	modules    []*module
	seenFiles  map[string]bool
	unknownMod []string
	defs       map[string][]leaf
	leafCache  map[string][]leaf
	retries    map[string]uint8  // caches not kept after meeting a cycle, by key
	lite       map[string]*Attrs // lite-config's hosts, by kind (flake level)
	vals       map[string]*Thunk
	config     *Attrs
	modArgs    *Attrs
	pkgs       *Attrs
	special    *Attrs
	system     *Thunk
	subs       map[string]*hostEval // submodule values, by path
	declAttrs  map[string]declResult
}

type module struct {
	file    *Source
	config  *Thunk
	options *Thunk
}

// leaf is one definition of an option path, with the properties (mkIf,
// mkOverride, mkOrder) that apply to it.
type leaf struct {
	t      *Thunk
	prio   int
	order  int
	conds  []*Thunk // mkIf conditions, evaluated only where the option is merged
	cond   int      // what conds came to, once evaluated
	bind   *Binding
	keyIdx int
	last   *Binding // see Attr.Last
	mod    *module
}

const (
	prioDefault       = 100
	prioOptionDefault = 1500
	condFalse         = 0
	condTrue          = 1
	condUnknown       = 2
)

// cond evaluates a definition's pending mkIf conditions.
func (h *hostEval) cond(l leaf) int {
	out := condTrue
	for _, c := range l.conds {
		switch v := h.ev.force(c).(type) {
		case Bool:
			if !v.B {
				return condFalse
			}
		default:
			out = condUnknown
		}
	}
	return out
}

func newHost(ev *Evaluator, args *Thunk, at Span, kind string) *hostEval {
	h := &hostEval{ev: ev, args: args, at: at, kind: kind, seenFiles: map[string]bool{},
		defs: map[string][]leaf{}, leafCache: map[string][]leaf{}, vals: map[string]*Thunk{}, subs: map[string]*hostEval{}, declAttrs: map[string]declResult{}, retries: map[string]uint8{}, lite: map[string]*Attrs{}}
	h.config = &Attrs{Dyn: configNode{h, nil}}
	h.special = newAttrs()
	h.modArgs = &Attrs{Dyn: moduleArgs{h}}
	h.pkgs = &Attrs{Dyn: pkgsStandIn{h}}
	h.system = lazy(h.computeSystem)
	return h
}

func (h *hostEval) argAttr(name string) (*Thunk, bool) {
	a, ok := h.ev.force(h.args).(*Attrs)
	if !ok {
		return nil, false
	}
	at, ok := a.Get(name)
	if !ok {
		return nil, false
	}
	return at.T, true
}

// collect walks the module tree from nixosSystem's modules list.
func (h *hostEval) collect() {
	if h.collected || h.collecting {
		return
	}
	h.collecting = true
	ev := h.ev
	if t, ok := h.argAttr("specialArgs"); ok {
		if s, ok := ev.force(t).(*Attrs); ok {
			h.special = s
		}
	}
	for _, key := range []string{"modules", "extraModules"} {
		t, ok := h.argAttr(key)
		if !ok {
			continue
		}
		switch l := ev.force(t).(type) {
		case *List:
			for _, m := range l.Elems {
				h.load(ev.force(m), m.Span().Src, m.Span())
			}
		case *Unknown:
			h.unknownMod = append(h.unknownMod, "modules list: "+l.Why)
		}
	}
	h.collecting = false
	h.collected = true
}

// knownNixOSModules are nixpkgs modules that hardware-configuration.nix
// and small profiles import and that set none of the options the model
// reads (checked against nixpkgs' sources): reading them changes nothing.
var knownNixOSModules = map[string]bool{
	"installer/scan/not-detected.nix": true, // hardware.enableRedistributableFirmware
	"profiles/qemu-guest.nix":         true, // initrd kernel modules
	"profiles/minimal.nix":            true, // documentation, xdg, command-not-found
	"profiles/headless.nix":           true, // console and boot loader
}

// virtualModule notes a module the reader has no source for: a NixOS
// module of nixpkgs (modulesPath + "/…", "${inputs.nixpkgs}/nixos/modules/…")
// by its name under nixos/modules, or another input's file.
func (h *hostEval) virtualModule(p string, sp Span) {
	name := p
	if i := strings.Index(p, "/nixos/modules/"); i >= 0 {
		rel := p[i+len("/nixos/modules/"):]
		if knownNixOSModules[rel] {
			return
		}
		name = "NixOS module " + rel
	} else if strings.HasPrefix(p, "/<input ") {
		in, rest, _ := strings.Cut(strings.TrimPrefix(p, "/<input "), ">")
		name = "module of flake input " + in + " " + strings.TrimPrefix(rest, "/")
	}
	h.unknownMod = append(h.unknownMod, sp.String()+": "+strings.TrimSpace(name))
}

func (h *hostEval) load(v Value, file *Source, sp Span) {
	ev := h.ev
	if len(h.modules) > 5000 {
		return
	}
	switch x := v.(type) {
	case *Path:
		if x.Virtual {
			h.virtualModule(x.P, sp)
			return
		}
		h.loadFile(x.P, sp)
	case *Str:
		if x.Path != nil {
			h.load(x.Path, file, sp)
			return
		}
		if strings.HasPrefix(x.S, "/") && !strings.HasPrefix(x.S, "/nix/store") {
			h.loadFile(x.S, sp)
			return
		}
		h.unknownMod = append(h.unknownMod, sp.String()+": module "+x.S)
	case *Closure, *Prim:
		h.load(ev.call(v, valThunk(h.modArgs), sp), file, sp)
	case *Attrs:
		if t, ok := x.Get("_type"); ok {
			if s, ok := ev.force(t.T).(*Str); ok && s.S != "module" {
				h.modules = append(h.modules, &module{file: file, config: valThunk(x)})
				return
			}
		}
		if om, ok := x.Dyn.(opaqueModule); ok {
			h.unknownMod = append(h.unknownMod, sp.String()+": module of flake input "+om.input+" "+om.name)
			return
		}
		if x.Dyn != nil {
			h.unknownMod = append(h.unknownMod, sp.String()+": a module that cannot be read")
			return
		}
		m := &module{file: file}
		full := false
		for k := range x.M {
			if k == "config" || k == "options" {
				full = true
			}
		}
		if full {
			for k := range x.M {
				switch k {
				case "config", "options", "imports", "_file", "key", "disabledModules", "meta", "freeformType", "_class":
				default:
					full = false
				}
			}
		}
		if full {
			if c, ok := x.M["config"]; ok {
				m.config = c.T
			}
			if o, ok := x.M["options"]; ok {
				m.options = o.T
			}
		} else {
			rest := &Attrs{M: map[string]*Attr{}}
			for k, at := range x.M {
				switch k {
				case "imports", "_file", "key", "disabledModules", "meta", "_class":
				default:
					rest.M[k] = at
				}
			}
			m.config = valThunk(rest)
		}
		h.modules = append(h.modules, m)
		if im, ok := x.M["imports"]; ok {
			switch l := ev.force(im.T).(type) {
			case *List:
				for _, e := range l.Elems {
					esp := e.Span()
					if !esp.Valid() {
						esp = im.T.Span()
					}
					f := file
					if esp.Valid() && esp.Src != nil {
						f = esp.Src // a module merged from another file
					}
					h.load(ev.force(e), f, esp)
				}
			case *Unknown:
				h.unknownMod = append(h.unknownMod, sp.String()+": imports: "+l.Why)
			}
		}
	case *Unknown:
		h.unknownMod = append(h.unknownMod, sp.String()+": "+x.Why)
	default:
		// NixOS stops here too: a module must be a path, a function or a set.
		loc := sp.Loc()
		h.ev.fail(&InputError{File: loc.File, Line: loc.Line, Msg: "a module must be a path, a function or an attribute set, not " + describeKind(v)})
	}
}

func (h *hostEval) loadFile(p string, sp Span) {
	p = sessionOf(h.ev).Reader.resolveImport(p)
	if h.seenFiles[p] {
		return
	}
	h.seenFiles[p] = true
	v := h.ev.importValue(&Path{P: p, At: sp})
	src := sessionOf(h.ev).Reader.source(p)
	h.load(v, src, sp)
}

// Files lists the module files of the host, in the order they were read.
func (h *hostEval) files() []*Source {
	var out []*Source
	seen := map[*Source]bool{}
	for _, m := range h.modules {
		if m.file != nil && !seen[m.file] && !m.file.internal {
			seen[m.file] = true
			out = append(out, m.file)
		}
	}
	return out
}

func pathKey(path []string) string { return strings.Join(path, "\x00") }

// defsAt returns the definitions of a config path, properties pushed down.
func (h *hostEval) defsAt(path []string) []leaf {
	h.collect()
	key := pathKey(path)
	if d, ok := h.defs[key]; ok {
		return d
	}
	var out []leaf
	mark := len(h.ev.cycles)
	if len(path) == 0 {
		for _, m := range h.modules {
			if m.config != nil {
				out = append(out, leaf{t: m.config, prio: prioDefault, mod: m})
			}
		}
	} else {
		name := path[len(path)-1]
		for _, d := range h.defsAt(path[:len(path)-1]) {
			h.walkProps(d, func(v Value, d leaf) {
				switch x := v.(type) {
				case *Attrs:
					at, ok := x.Get(name)
					if !ok {
						return
					}
					nd := d
					nd.t = at.T
					if at.Bind != nil {
						nd.bind, nd.keyIdx, nd.last = at.Bind, at.KeyIdx, at.Last
					}
					out = append(out, nd)
				case *Unknown:
					nd := d
					nd.t = valThunk(x)
					out = append(out, nd)
				}
			})
		}
	}
	if h.collecting || len(h.ev.cycles) > mark && h.ev.dependsOnPending(nil, mark) && h.retries[key] < maxRetries {
		if !h.collecting {
			h.retries[key]++
		}
		return out // not final: read again later
	}
	h.defs[key] = out
	return out
}

// walkProps unwraps mkIf, mkMerge, mkOverride and mkOrder around a value.
func (h *hostEval) walkProps(d leaf, fn func(Value, leaf)) {
	ev := h.ev
	v := ev.force(d.t)
	a, ok := v.(*Attrs)
	if !ok || a.Dyn != nil {
		fn(v, d)
		return
	}
	tt, ok := a.M["_type"]
	if !ok {
		fn(v, d)
		return
	}
	ts, _ := ev.force(tt.T).(*Str)
	if ts == nil {
		fn(v, d)
		return
	}
	content := func() *Thunk {
		if c, ok := a.M["content"]; ok {
			return c.T
		}
		return valThunk(&Unknown{Why: "property without content"})
	}
	switch ts.S {
	case "if":
		c, ok := a.M["condition"]
		if !ok {
			return
		}
		// Like NixOS, push the condition down unevaluated: a module may
		// read config in its condition, as long as the condition is not
		// needed to find out which options the module defines.
		d.conds = append(d.conds[:len(d.conds):len(d.conds)], c.T)
		d.t = content()
		h.walkProps(d, fn)
	case "merge":
		c, ok := a.M["contents"]
		if !ok {
			return
		}
		switch l := ev.force(c.T).(type) {
		case *List:
			for _, e := range l.Elems {
				nd := d
				nd.t = e
				h.walkProps(nd, fn)
			}
		default:
			// mkMerge of something unknown: the definition is unknown,
			// never the mkMerge set itself (users named _type, contents).
			nd := d
			nd.t = c.T
			fn(l, nd)
		}
	case "override", "order":
		p := prioDefault
		if pt, ok := a.M["priority"]; ok {
			if i, ok := ev.force(pt.T).(Int); ok {
				p = int(i.I)
			}
		}
		if ts.S == "override" {
			d.prio = p
		} else {
			d.order = p
		}
		d.t = content()
		h.walkProps(d, fn)
	default:
		fn(v, d)
	}
}

// optionResult is a merged option with the definitions that won.
type optionResult struct {
	V       Value
	Winners []leaf
	All     []leaf
}

// leaves lists the definitions of a path whose conditions are not known to
// be false, with cond set.
func (h *hostEval) leaves(path []string) []leaf {
	key := pathKey(path)
	if l, ok := h.leafCache[key]; ok {
		return l
	}
	// NixOS's own definitions come first: its modules precede the user's
	// in the module list, which decides the order of merged lists.
	mark := len(h.ev.cycles)
	out := h.virtualDefs(path)
	for _, d := range h.defsAt(path) {
		h.walkProps(d, func(v Value, d leaf) {
			if d.cond = h.cond(d); d.cond != condFalse {
				out = append(out, d)
			}
		})
	}
	if !h.collecting && h.ev.depth == 0 {
		if len(h.ev.cycles) <= mark || !h.ev.dependsOnPending(nil, mark) || h.retries["leaves:"+key] >= maxRetries {
			h.leafCache[key] = out
		} else {
			h.retries["leaves:"+key]++
		}
	}
	return out
}

// option merges the definitions of a path.
func (h *hostEval) option(path []string) optionResult {
	ev := h.ev
	if h.collecting {
		return optionResult{V: &Unknown{Why: "config read while imports are being resolved"}}
	}
	all := h.leaves(path)
	res := optionResult{All: all}
	best := -1
	for _, l := range all {
		if l.cond == condTrue && (best < 0 || l.prio < best) {
			best = l.prio
		}
	}
	for _, l := range all {
		if l.cond == condUnknown && (best < 0 || l.prio <= best) {
			res.V = &Unknown{Why: "defined under a condition that cannot be known", At: l.t.Span()}
			res.Winners = []leaf{l}
			return res
		}
	}
	if best < 0 {
		if d := h.optionDecl(path); d != nil {
			res.V = ev.force(d)
			return res
		}
		res.V = &Unknown{Why: "option " + strings.Join(path, ".") + " is not defined"}
		return res
	}
	for _, l := range all {
		if l.cond == condTrue && l.prio == best {
			res.Winners = append(res.Winners, l)
		}
	}
	sort.SliceStable(res.Winners, func(i, j int) bool { return res.Winners[i].order < res.Winners[j].order })
	vals := make([]Value, len(res.Winners))
	lists := 0
	for i, w := range res.Winners {
		vals[i] = ev.force(w.t)
		if u, ok := vals[i].(*Unknown); ok {
			res.V = u
			return res
		}
		if _, ok := vals[i].(*List); ok {
			lists++
		}
	}
	switch {
	case lists == len(vals):
		out := &List{}
		for _, v := range vals {
			out.Elems = append(out.Elems, v.(*List).Elems...)
		}
		res.V = out
	case lists == 0 && len(vals) > 1 && h.joinable(path, vals) != "":
		// types.lines (nix.extraOptions, programs.ssh.extraConfig) and
		// the other separated strings concatenate their definitions.
		sep := h.joinable(path, vals)
		parts := make([]string, len(vals))
		for i, v := range vals {
			parts[i] = v.(*Str).S
		}
		res.V = &Str{S: strings.Join(parts, sep), At: vals[0].(*Str).At}
	case lists == 0:
		res.V = vals[0]
		for _, v := range vals[1:] {
			if eq, known := ev.equal(vals[0], v); !known || !eq {
				res.V = &Unknown{Why: "conflicting definitions of " + strings.Join(path, ".")}
				break
			}
		}
	default:
		res.V = &Unknown{Why: "definitions of different types for " + strings.Join(path, ".")}
	}
	return res
}

// linesOptions are NixOS options of type lines that the model reads.
var linesOptions = map[string]bool{
	"nix.extraOptions": true, "programs.ssh.extraConfig": true, "services.openssh.extraConfig": true,
}

// joinable is the separator that merges the string definitions of a
// separated-string option (types.lines "\n", types.commas ",", types.envVar
// ":"), or "" when the option's definitions must agree instead.
func (h *hostEval) joinable(path []string, vals []Value) string {
	for _, v := range vals {
		if _, ok := v.(*Str); !ok {
			return ""
		}
	}
	if linesOptions[strings.Join(path, ".")] {
		return "\n"
	}
	decl := h.optionDeclAttrs(path)
	if decl == nil {
		return ""
	}
	t, ok := decl.Get("type")
	if !ok {
		return ""
	}
	ta, ok := h.ev.force(t.T).(*Attrs)
	if !ok {
		return ""
	}
	n, ok := ta.Get("name")
	if !ok {
		return ""
	}
	name, _ := h.ev.force(n.T).(*Str)
	if name == nil {
		return ""
	}
	return map[string]string{"lines": "\n", "commas": ",", "envVar": ":"}[name.S]
}

// value reads config.<path>: a nested config node where the definitions are
// attribute sets, otherwise the merged option.
func (h *hostEval) value(path []string) *Thunk {
	key := pathKey(path)
	if t, ok := h.vals[key]; ok {
		return t
	}
	p := append([]string(nil), path...)
	t := lazy(func() Value {
		if h.collecting {
			return &Unknown{Why: "config read while imports are being resolved"}
		}
		if h.kind == "flake" && deferredModule(p) {
			return h.mergedModule(p)
		}
		if s, rest := h.submoduleAt(p); s != nil {
			if len(rest) == 0 {
				return s.config
			}
			return h.ev.force(s.value(rest))
		}
		all := h.leaves(p)
		if len(all) == 0 && h.optionDecl(p) == nil {
			return &Attrs{Dyn: configNode{h, p}}
		}
		isNode := false
		for _, l := range all {
			if a, ok := h.ev.force(l.t).(*Attrs); ok && !isOptionValue(a) {
				isNode = true
			}
		}
		if isNode {
			return &Attrs{Dyn: configNode{h, p}}
		}
		return h.option(p).V
	})
	h.vals[key] = t
	return t
}

// isOptionValue tells a submodule-like set apart from values that are whole
// option values: derivations and the result of another nixosSystem.
func isOptionValue(a *Attrs) bool {
	if a.Host != nil {
		return true
	}
	if _, ok := a.M["outPath"]; ok {
		return true
	}
	return false
}

func (h *hostEval) optionDecl(path []string) *Thunk {
	a := h.optionDeclAttrs(path)
	if a == nil {
		return nil
	}
	if d, ok := a.M["default"]; ok {
		return d.T
	}
	return valThunk(&Unknown{Why: "option " + strings.Join(path, ".") + " has no default"})
}

// optionDeclAttrs is the mkOption declaring exactly path, if a module does.
func (h *hostEval) optionDeclAttrs(path []string) *Attrs {
	d, _ := h.declLookup(path)
	return d
}

type declResult struct {
	decl  *Attrs
	under bool // some module declares options below path
}

// declLookup finds the option declared at path, and whether options are
// declared below it (so that callers walking a path can stop early).
func (h *hostEval) declLookup(path []string) (*Attrs, bool) {
	if len(h.modules) == 0 {
		return nil, false
	}
	key := pathKey(path)
	if r, ok := h.declAttrs[key]; ok {
		return r.decl, r.under
	}
	var res declResult
	for _, m := range h.modules {
		if m.options == nil {
			continue
		}
		v := h.ev.force(m.options)
		for i, name := range path {
			a, ok := v.(*Attrs)
			if !ok || a.Dyn != nil {
				v = nil
				break
			}
			if i > 0 && isOptionDecl(h.ev, a) {
				v = nil
				break
			}
			at, ok := a.M[name]
			if !ok {
				v = nil
				break
			}
			v = h.ev.force(at.T)
		}
		if a, ok := v.(*Attrs); ok && a.Dyn == nil {
			if isOptionDecl(h.ev, a) {
				res.decl = a
				break
			}
			res.under = true
		}
	}
	h.declAttrs[key] = res
	return res.decl, res.under
}

func isOptionDecl(ev *Evaluator, a *Attrs) bool {
	tt, ok := a.M["_type"]
	if !ok {
		return false
	}
	s, ok := ev.force(tt.T).(*Str)
	return ok && s.S == "option"
}

// configNode is the lazy `config` argument of modules, at one path.
type configNode struct {
	h    *hostEval
	path []string
}

func (c configNode) Get(name string) (*Attr, bool) {
	p := make([]string, len(c.path)+1)
	copy(p, c.path)
	p[len(c.path)] = name
	return &Attr{T: c.h.value(p)}, true
}

func (c configNode) Names() ([]string, bool) {
	seen := map[string]bool{}
	var names []string
	for _, l := range c.h.leaves(c.path) {
		switch a := c.h.ev.force(l.t).(type) {
		case *Attrs:
			ns, ok := a.Names()
			if !ok {
				return nil, false
			}
			for _, n := range ns {
				if !seen[n] {
					seen[n] = true
					names = append(names, n)
				}
			}
		case *Unknown:
			return nil, false
		}
	}
	sort.Strings(names)
	return names, true
}

// moduleArgs is what module functions receive.
type moduleArgs struct{ h *hostEval }

func (m moduleArgs) Get(name string) (*Attr, bool) {
	h := m.h
	// specialArgs win over every other argument, lib included (NixOS
	// passes them last); only names they really hold.
	if names, ok := h.special.Names(); ok {
		for _, n := range names {
			if n == name {
				return h.special.Get(name)
			}
		}
	}
	switch name {
	case "config":
		return &Attr{T: valThunk(h.config)}, true
	case "lib":
		return &Attr{T: h.ev.lib}, true
	case "pkgs":
		return &Attr{T: valThunk(h.pkgs)}, true
	case "modulesPath":
		return &Attr{T: valThunk(&Path{P: "/<nixpkgs>/nixos/modules", Virtual: true})}, true
	case "specialArgs":
		return &Attr{T: valThunk(h.special)}, true
	case "options", "utils":
		return &Attr{T: valThunk(&Unknown{Why: name + " cannot be read statically"})}, true
	}
	if at, ok := h.special.Get(name); ok {
		return at, true
	}
	return &Attr{T: lazy(func() Value {
		p := []string{"_module", "args", name}
		if len(h.leaves(p)) == 0 {
			// Nix stops here ("attribute missing"); the reader goes on
			// with an unknown value, never an empty set.
			return &Unknown{Why: "module argument " + name + " is not given"}
		}
		return h.ev.force(h.value(p))
	})}, true
}

func (m moduleArgs) Names() ([]string, bool) { return nil, false }

// pkgsStandIn knows a host's platform and that packages exist, nothing else.
type pkgsStandIn struct{ h *hostEval }

func (p pkgsStandIn) Get(name string) (*Attr, bool) {
	h := p.h
	switch name {
	case "lib":
		return &Attr{T: h.ev.lib}, true
	case "system":
		return &Attr{T: h.system}, true
	case "stdenv", "stdenvNoCC":
		std := newAttrs()
		plat := &Attrs{Dyn: platformStandIn{h}}
		std.set("hostPlatform", plat)
		std.set("buildPlatform", plat)
		std.set("targetPlatform", plat)
		std.setThunk("system", h.system)
		for _, k := range []string{"isLinux", "isDarwin", "isx86_64", "isAarch64", "isi686", "isx86"} {
			std.M[k], _ = plat.Get(k)
		}
		return &Attr{T: valThunk(std)}, true
	case "hostPlatform", "buildPlatform", "targetPlatform":
		return &Attr{T: valThunk(&Attrs{Dyn: platformStandIn{h}})}, true
	}
	return &Attr{T: valThunk(&Drv{Name: name})}, true
}

func (p pkgsStandIn) Names() ([]string, bool) { return nil, false }

type platformStandIn struct{ h *hostEval }

func (p platformStandIn) Get(name string) (*Attr, bool) {
	h := p.h
	if name == "system" {
		return &Attr{T: h.system}, true
	}
	pred := map[string]func(string) bool{
		"isLinux":   func(s string) bool { return strings.HasSuffix(s, "-linux") },
		"isDarwin":  func(s string) bool { return strings.HasSuffix(s, "-darwin") },
		"isx86_64":  func(s string) bool { return strings.HasPrefix(s, "x86_64-") },
		"isAarch64": func(s string) bool { return strings.HasPrefix(s, "aarch64-") },
		"isi686":    func(s string) bool { return strings.HasPrefix(s, "i686-") },
		"isx86":     func(s string) bool { return strings.HasPrefix(s, "x86_64-") || strings.HasPrefix(s, "i686-") },
	}[name]
	if pred == nil {
		return &Attr{T: valThunk(&Unknown{Why: "platform." + name})}, true
	}
	return &Attr{T: lazy(func() Value {
		s, ok := h.ev.force(h.system).(*Str)
		if !ok {
			return &Unknown{Why: "the host's system is unknown"}
		}
		return Bool{pred(s.S)}
	})}, true
}

func (p platformStandIn) Names() ([]string, bool) { return nil, false }

// computeSystem finds the host platform: nixosSystem's system argument, or
// nixpkgs.hostPlatform (string or { system }), or the legacy options.
func (h *hostEval) computeSystem() Value {
	v, _ := h.systemWithLeaf()
	return v
}

func (h *hostEval) systemWithLeaf() (Value, *leaf) {
	ev := h.ev
	if t, ok := h.argAttr("system"); ok {
		v := ev.force(t)
		if s, ok := v.(*Str); ok {
			return s, nil
		}
		if _, isNull := v.(Null); !isNull {
			return v, nil
		}
	}
	for _, path := range [][]string{{"nixpkgs", "hostPlatform"}, {"nixpkgs", "hostPlatform", "system"}, {"nixpkgs", "system"}, {"nixpkgs", "localSystem", "system"}, {"nixpkgs", "localSystem"}} {
		if len(h.leaves(path)) == 0 {
			continue
		}
		r := h.option(path)
		switch v := r.V.(type) {
		case *Str:
			var w *leaf
			if len(r.Winners) > 0 {
				w = &r.Winners[0]
			}
			return v, w
		case *Unknown:
			return v, nil
		}
	}
	return &Unknown{Why: "the host's system is not set"}, nil
}

func describeKind(v Value) string {
	switch v.kind() {
	case "int":
		return "an integer"
	case "float":
		return "a float"
	case "bool":
		return "a boolean"
	case "list":
		return "a list"
	case "null":
		return "null"
	case "string":
		return "a string"
	}
	return "a " + v.kind()
}
