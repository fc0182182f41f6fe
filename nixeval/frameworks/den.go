package frameworks

import (
	"slices"
	"sort"
	"strings"

	"github.com/nixbuild-lint/nixbuild-lint/nixeval/lang"
	"github.com/nixbuild-lint/nixbuild-lint/nixeval/modsys"
)

// The reader's own model of den (vic/den, denful/den), for when its source
// is not here: den's flakeModule, imported by a flake-parts flake or by a
// fleet's own lib.evalModules, makes a host of every
// den.hosts.<system>.<name> and a nixosConfigurations (or
// darwinConfigurations) entry of it, as den's outputs do. A host's class is
// its own `class`, else darwin for a *-darwin system and nixos otherwise.
// Its configuration is one module that den composes from aspects
// (den.aspects.<name>, each a set of class modules — nixos, darwin, os for
// both — and includes), walked in den's context stages:
//
//   - the host stage ({ host }): the host's aspect (host.aspect, by default
//     den.aspects.<host>), then den.default;
//   - one user stage per user ({ host, user }): the user's aspect
//     (user.aspect, by default den.aspects.<user>), whose `user` class goes
//     to users.users.<userName>, then den.default again.
//
// As in den, the class modules of a named aspect (and the static includes
// of one) come in once per host however often it is included; a
// parametric include (a function of { host }, { host, user }, …) is
// applied at every stage whose context has the arguments it requires,
// and a function of { class, aspect-chain } once. The host is made with
// nixpkgs.hostPlatform = mkDefault <system> (or by its own `instantiate`).
// den's batteries hostname, define-user and primary-user are modelled;
// other batteries, a custom den.ctx pipeline, home-manager classes of
// root and includes the reader cannot compute are modules not read (named).

// DenModule is den's flakeModule.
func DenModule(input string) *lang.Prim {
	var self *lang.Prim
	self = lang.NewPrim("den flakeModule", 1, func(ev *lang.Evaluator, a []*lang.Thunk) lang.Value {
		if _, ok := ev.Force(a[0]).(lang.Bool); ok {
			// denful/den's newer flakeModule true (flake bridge keys found
			// from the flake's options): den's flake module, the bridge of
			// its routed outputs to other flake options not modelled.
			return self
		}
		args, bad := ev.ForceAttrs(a[0])
		if bad != nil {
			return bad
		}
		cfg, ok := args.Get("config")
		if !ok {
			return &lang.Unknown{Why: "den's flakeModule was given no config"}
		}
		h, _ := modsys.NodeOf(ev.Force(cfg.T))
		if h == nil {
			return &lang.Unknown{Why: "den's flakeModule outside a module system the reader runs"}
		}
		m := &denModel{ev: ev, h: h, input: input, hosts: map[string]*lang.Thunk{}}
		h.ProvideArg("den", lang.ValThunk(&lang.Attrs{Dyn: denArg{m}}))
		flake := lang.NewAttrs()
		flake.Set("nixosConfigurations", &lang.Attrs{Dyn: denConfigs{m, "nixosConfigurations"}})
		flake.Set("darwinConfigurations", &lang.Attrs{Dyn: denConfigs{m, "darwinConfigurations"}})
		config := lang.NewAttrs()
		config.Set("flake", flake)
		out := lang.NewAttrs()
		out.Set("config", config)
		return out
	})
	return self
}

type denModel struct {
	ev    *lang.Evaluator
	h     *modsys.Host
	input string
	hosts map[string]*lang.Thunk // systems, by system/name
}

// denHost is one den.hosts entry.
type denHost struct {
	system, name string
	at           lang.Span
	path         []string // den.hosts.<system>.<name>, or den.hosts.<name>
}

// isSystem tells a name of den.hosts that is a platform (x86_64-linux,
// aarch64-darwin), not a host of denful/den's flat den.hosts.<name> with
// its own system.
func isSystem(s string) bool {
	arch, os, ok := strings.Cut(s, "-")
	if !ok || arch == "" {
		return false
	}
	switch os {
	case "linux", "darwin", "freebsd", "netbsd", "openbsd", "none", "windows":
		return true
	}
	return false
}

func (m *denModel) path(p ...string) []string { return append([]string{"den"}, p...) }

// names lists the names defined at path of the flake's config (nil and
// false when they cannot be listed).
func (m *denModel) names(path []string) ([]string, bool) {
	return m.h.Node(path...).Names()
}

// defined tells whether anything defines path.
func (m *denModel) defined(path []string) bool {
	return len(m.h.Leaves(path)) > 0
}

// listHosts is every den host, sorted by system and name.
func (m *denModel) listHosts() ([]denHost, string) {
	systems, ok := m.names(m.path("hosts"))
	if !ok {
		return nil, "den.hosts: its systems cannot be listed"
	}
	var out []denHost
	for _, sys := range systems {
		if !isSystem(sys) {
			// denful/den's den.hosts.<name> = { system = …; }: a host
			// when its system is a string the reader knows.
			p := m.path("hosts", sys)
			if s, ok := m.str(append(append([]string(nil), p...), "system")); ok {
				out = append(out, denHost{s, sys, m.firstSpan(p), p})
			}
			continue
		}
		names, ok := m.names(m.path("hosts", sys))
		if !ok {
			return nil, "den.hosts." + sys + ": its hosts cannot be listed"
		}
		for _, n := range names {
			p := m.path("hosts", sys, n)
			out = append(out, denHost{sys, n, m.firstSpan(p), p})
		}
	}
	return out, ""
}

// firstSpan is where the first definition of path is written.
func (m *denModel) firstSpan(p []string) lang.Span {
	ls := m.h.Leaves(p)
	switch {
	case len(ls) == 0:
		return lang.Span{}
	case ls[0].Bind != nil:
		return ls[0].Bind.Sp
	}
	return ls[0].T.Span()
}

// str is the string defined at path, if one is.
func (m *denModel) str(path []string) (string, bool) {
	if !m.defined(path) {
		return "", false
	}
	s, ok := m.ev.Force(m.h.Value(path)).(*lang.Str)
	if !ok {
		return "", false
	}
	return s.S, true
}

func (m *denModel) class(dh denHost) string {
	if c, ok := m.str(append(append([]string(nil), dh.path...), "class")); ok {
		return c
	}
	if strings.HasSuffix(dh.system, "darwin") {
		return "darwin"
	}
	return "nixos"
}

// into is where a host goes among the flake's outputs: output set and
// name ("" when it goes nowhere the reader reads).
func (m *denModel) into(dh denHost) (string, string) {
	p := append(append([]string(nil), dh.path...), "intoAttr")
	if m.defined(p) {
		l, ok := m.ev.Force(m.h.Value(p)).(*lang.List)
		if !ok || len(l.Elems) != 2 {
			return "", ""
		}
		a, ok1 := m.ev.Force(l.Elems[0]).(*lang.Str)
		b, ok2 := m.ev.Force(l.Elems[1]).(*lang.Str)
		if !ok1 || !ok2 {
			return "", ""
		}
		return a.S, b.S
	}
	switch m.class(dh) {
	case "nixos":
		return "nixosConfigurations", dh.name
	case "darwin":
		return "darwinConfigurations", dh.name
	}
	return "", ""
}

// denConfigs is flake.nixosConfigurations (or darwinConfigurations) as den
// makes it.
type denConfigs struct {
	m   *denModel
	out string
}

func (c denConfigs) entries() (map[string]denHost, bool) {
	hosts, why := c.m.listHosts()
	if why != "" {
		return nil, false
	}
	out := map[string]denHost{}
	for _, dh := range hosts {
		if o, name := c.m.into(dh); o == c.out {
			out[name] = dh
		}
	}
	return out, true
}

func (c denConfigs) Get(name string) (*lang.Attr, bool) {
	es, ok := c.entries()
	if !ok {
		_, why := c.m.listHosts()
		return &lang.Attr{T: lang.ValThunk(&lang.Unknown{Why: why})}, true
	}
	dh, ok := es[name]
	if !ok {
		return nil, false
	}
	return &lang.Attr{T: c.m.system(dh)}, true
}

func (c denConfigs) Names() ([]string, bool) {
	es, ok := c.entries()
	if !ok {
		return nil, false
	}
	names := make([]string, 0, len(es))
	for n := range es {
		names = append(names, n)
	}
	sort.Strings(names)
	return names, true
}

// Unlisted says why the hosts cannot be listed.
func (c denConfigs) Unlisted() string {
	if _, why := c.m.listHosts(); why != "" {
		return why
	}
	return ""
}

// system is the host's NixOS (or nix-darwin) system, made once.
func (m *denModel) system(dh denHost) *lang.Thunk {
	key := dh.system + "/" + dh.name
	if t, ok := m.hosts[key]; ok {
		return t
	}
	t := lang.Lazy(func() lang.Value {
		ev := m.ev
		class := m.class(dh)
		mods := m.compose(dh, class)
		sys := lang.StrV(dh.system)
		sys.At = dh.at
		def := lang.NewAttrs()
		def.Set("_type", lang.StrV("override"))
		def.Set("priority", lang.Int{I: 1000})
		def.Set("content", sys)
		np := lang.NewAttrs()
		np.Set("hostPlatform", def)
		plat := lang.NewAttrs()
		plat.Set("nixpkgs", np)
		list := &lang.List{Elems: append(mods, lang.ValThunk(plat))}
		args := lang.NewAttrs()
		args.Set("modules", list)
		ip := append(append([]string(nil), dh.path...), "instantiate")
		if m.defined(ip) {
			return ev.Call(ev.Force(m.h.Value(ip)), lang.ValThunk(args), dh.at)
		}
		kind := class
		if kind != "darwin" {
			kind = "nixos"
		}
		return modsys.System(ev, lang.ValThunk(args), dh.at, kind)
	})
	m.hosts[key] = t
	return t
}

// stage is a context of den's pipeline.
type stage struct {
	host, user *lang.Thunk
	userName   string
}

func (s stage) has(name string) bool {
	switch name {
	case "host":
		return true
	case "user":
		return s.user != nil
	}
	return false
}

// walk collects the class modules of one host.
type walk struct {
	m     *denModel
	dh    denHost
	class string
	seen  map[string]bool
	// fromFns are the class modules of parametric includes' results (and
	// of den's batteries, parametric in den), which den's pipeline puts
	// before the static ones, in the order the stages are walked.
	fromFns []*lang.Thunk
	notes   []*lang.Thunk // modules not read
	inFn    int
	// The static class modules, by aspect: den puts them in the order of
	// a breadth-first walk of the include tree (see statics).
	cur       *snode
	nodes     map[string]*snode
	roots     []*snode // the stages' aspects, in stage order
	dflt      []*snode // den.default (den.ctx.default)
	asDefault bool
	// inline is set while a battery includes aspects as part of the
	// aspect that includes it (mutual-provider's).
	inline bool
	// forUser is set while the user's own aspect is walked: its `user`
	// class goes to users.users.<userName>.
	forUser string
	// only is set in the walk of one aspect for one class (den's
	// aspects.resolve, as the forward battery resolves its items): the
	// modules of that class alone, as they are.
	only  string
	depth int
}

// snode is one aspect of the include tree: its static class modules (fwd:
// the os and user classes, which den forwards into the host's class a
// step later) and the named aspects it includes.
type snode struct {
	mods, fwd []*lang.Thunk
	kids      []*snode
}

// statics are the static class modules in den's order (as Nix 2.8 gives
// it on the vendored den): breadth first from the stages' aspects (the
// host's den.ctx.host and aspect, then each user's den.ctx.user and
// aspect), den.default last among the second level; at each level the
// aspects' own modules (with those of the inline sets they include), then
// the forwarded classes of the level before.
func (w *walk) statics() []*lang.Thunk {
	var out, prevFwd []*lang.Thunk
	visited := map[*snode]bool{}
	var level []*snode
	for _, n := range w.roots {
		if !visited[n] {
			visited[n] = true
			level = append(level, n)
		}
	}
	for depth := 0; len(level) > 0; depth++ {
		var next []*snode
		add := func(ns []*snode) {
			for _, k := range ns {
				if !visited[k] {
					visited[k] = true
					next = append(next, k)
				}
			}
		}
		for _, n := range level {
			add(n.kids)
		}
		if depth == 0 {
			add(w.dflt)
		}
		var fwd []*lang.Thunk
		for _, n := range level {
			out = append(out, n.mods...)
			fwd = append(fwd, n.fwd...)
		}
		out = append(out, prevFwd...)
		prevFwd = fwd
		level = next
		if depth == 0 && len(level) == 0 {
			break
		}
	}
	return append(out, prevFwd...)
}

// node is the aspect static modules go to now: a root one for a stage's
// aspect that is an inline set.
func (w *walk) node() *snode {
	if w.cur == nil {
		n := &snode{}
		w.register(n)
		return n
	}
	return w.cur
}

// register adds an aspect met outside any other as a stage's.
func (w *walk) register(n *snode) {
	if w.asDefault {
		w.dflt = append(w.dflt, n)
	} else {
		w.roots = append(w.roots, n)
	}
}

// compose is the host's modules, in den's stages.
func (m *denModel) compose(dh denHost, class string) []*lang.Thunk {
	w := &walk{m: m, dh: dh, class: class, seen: map[string]bool{}, nodes: map[string]*snode{}}
	hostT := lang.ValThunk(&lang.Attrs{Dyn: denEntity{m: m, path: dh.path, host: &dh}})
	host := stage{host: hostT}
	hostPath := dh.path
	ctx := m.ctxStages()
	if ctx.custom {
		w.unread(dh.at, "den.ctx (den's context pipeline as the fleet extends it) is not in the reader's model of den")
	}
	if ctx.host {
		w.aspect(m.h.Node(m.path("ctx", "host")...), dh.at, host, false)
	}
	w.aspect(m.entityAspect(hostPath, dh.name), dh.at, host, false)
	w.asDefault = true
	w.aspect(m.h.Node(m.path("default")...), dh.at, host, false)
	if ctx.dflt {
		w.aspect(m.h.Node(m.path("ctx", "default")...), dh.at, host, false)
	}
	w.asDefault = false
	users, ok := m.names(append(hostPath, "users"))
	if !ok {
		w.unread(dh.at, strings.Join(hostPath, ".")+".users: its names cannot be listed")
	}
	for _, u := range users {
		up := append(append([]string(nil), hostPath...), "users", u)
		userName := u
		if s, ok := m.str(append(up, "userName")); ok {
			userName = s
		}
		ut := lang.ValThunk(&lang.Attrs{Dyn: denEntity{m: m, path: up, host: &dh, user: u, hostT: hostT}})
		st := stage{host: hostT, user: ut, userName: userName}
		if class == "nixos" || class == "darwin" {
			// den forwards the user class of every user into
			// users.users.<userName>: the user is there, defined or not.
			w.addMod(lang.ValThunk(nestAt(lang.ValThunk(lang.NewAttrs()), "users", "users", userName)))
		}
		if ctx.user {
			w.aspect(m.h.Node(m.path("ctx", "user")...), dh.at, st, false)
		}
		w.forUser = userName
		w.aspect(m.entityAspect(up, u), dh.at, st, false)
		w.forUser = ""
		w.asDefault = true
		w.aspect(m.h.Node(m.path("default")...), dh.at, st, false)
		if ctx.dflt {
			w.aspect(m.h.Node(m.path("ctx", "default")...), dh.at, st, false)
		}
		w.asDefault = false
		if userName == "root" && w.seen["homeManager"] {
			w.unread(dh.at, "den: the homeManager class of user root (home-manager.users.root) is not in the reader's model of den")
		}
	}
	out := make([]*lang.Thunk, 0, len(w.fromFns)+len(w.notes))
	out = append(out, w.fromFns...)
	out = append(out, w.statics()...)
	return append(out, w.notes...)
}

// ctxStages is what the fleet adds to den's context pipeline (den.ctx):
// the stages den's own pipeline has, host ({ host }, before the host's
// aspect), user ({ host, user }, before each user's aspect) and default
// (den.default), extended with includes or class modules of their own,
// are walked there as aspects; anything else (a stage of the fleet's own,
// a stage's into or provides) is custom, which the model does not read.
type ctxStages struct{ host, user, dflt, custom bool }

func (m *denModel) ctxStages() ctxStages {
	var c ctxStages
	if !m.defined(m.path("ctx")) {
		return c
	}
	stages, ok := m.names(m.path("ctx"))
	if !ok {
		c.custom = true
		return c
	}
	for _, st := range stages {
		keys, ok := m.names(m.path("ctx", st))
		if !ok {
			c.custom = true
			continue
		}
		for _, k := range keys {
			switch k {
			case "includes", "description", "nixos", "darwin", "os", "homeManager":
			default:
				c.custom = true
			}
		}
		switch st {
		case "host":
			c.host = true
		case "user":
			c.user = true
		case "default":
			c.dflt = true
		default:
			c.custom = true
		}
	}
	return c
}

// entityAspect is the aspect of a host or user: its `aspect` (a name or
// an aspect), else den.aspects.<name>.
func (m *denModel) entityAspect(entity []string, name string) lang.Value {
	ap := append(append([]string(nil), entity...), "aspect")
	if m.defined(ap) {
		v := m.ev.Force(m.h.Value(ap))
		if s, ok := v.(*lang.Str); ok {
			return m.h.Node(m.path("aspects", s.S)...)
		}
		return v
	}
	return m.h.Node(m.path("aspects", name)...)
}

func (w *walk) unread(at lang.Span, why string) {
	key := "unread " + at.String() + " " + why
	if w.seen[key] {
		return // one note for what several aspects rest on
	}
	w.seen[key] = true
	w.notes = append(w.notes, lang.ValThunk(&lang.Unknown{Why: why, At: at}))
}

// canonical is an aspect path with den's alias _ for provides undone.
func canonical(p []string) []string {
	out := append([]string(nil), p...)
	for i := range out {
		if out[i] == "_" && i > 0 && i < len(out)-1 {
			out[i] = "provides"
		}
	}
	return out
}

// leaves are the definitions at an aspect path under both spellings of
// provides.
func (w *walk) leaves(p []string) []modsys.Leaf {
	out := w.m.h.Leaves(p)
	for i := range p {
		if p[i] == "provides" && i > 0 && i < len(p)-1 {
			alt := append([]string(nil), p...)
			alt[i] = "_"
			out = append(out, w.m.h.Leaves(alt)...)
		}
	}
	return out
}

// classes are the classes of aspects that go into the host, with where
// they go: the host's class and os at the top, user under
// users.users.<userName> (only in the user's own aspect tree).
func (w *walk) classes() []string {
	if w.only != "" {
		return []string{w.only}
	}
	cs := []string{w.class}
	if w.class == "nixos" || w.class == "darwin" {
		cs = append(cs, "os")
	}
	if w.forUser != "" {
		cs = append(cs, "user")
	}
	return cs
}

// addClass adds one class module of an aspect: to fromFns in a
// parametric include's result, else to the aspect's node.
func (w *walk) addClass(class string, t *lang.Thunk) {
	t = definedOnly(w.m.ev, t)
	if w.only != "" {
		class = w.class // one class resolved: its modules as they are
	}
	if class == "user" {
		t = lang.ValThunk(nestAt(t, "users", "users", w.forUser))
	}
	if w.inFn > 0 {
		w.fromFns = append(w.fromFns, t)
		return
	}
	n := w.node()
	if class == "user" || class == "os" {
		n.fwd = append(n.fwd, t)
		return
	}
	n.mods = append(n.mods, t)
}

// definedOnly is a class module as den gives it: when it is a node of
// the flake's config (an aspect's nixos = { boot.loader… = …; } defined
// deeper than the class, or an aspect taken from a host's attribute), only
// what is defined there, not a set that answers every name (whose
// boot.binfmt.emulatedSystems, an empty set, made the host's own list
// "definitions of different types").
func definedOnly(ev *lang.Evaluator, t *lang.Thunk) *lang.Thunk {
	return lang.LazyAt(t.Span(), func() lang.Value {
		v := ev.Force(t)
		if h, _ := modsys.NodeOf(v); h != nil {
			return &lang.Attrs{Dyn: definedView{ev, v.(*lang.Attrs)}}
		}
		return v
	})
}

type definedView struct {
	ev *lang.Evaluator
	a  *lang.Attrs
}

func (d definedView) Get(name string) (*lang.Attr, bool) {
	if names, ok := d.a.Names(); ok && !slices.Contains(names, name) {
		return nil, false
	}
	at, ok := d.a.Get(name)
	if !ok {
		return nil, false
	}
	c := *at
	c.T = definedOnly(d.ev, at.T)
	return &c, true
}

func (d definedView) Names() ([]string, bool) { return d.a.Names() }

// addMod adds a module of one of den's batteries (parametric in den).
func (w *walk) addMod(t *lang.Thunk) { w.fromFns = append(w.fromFns, t) }

// aspect walks an aspect (a named one, den.aspects.<n> or den.default, as
// the config node that names it; an inline set; a function of the
// context; a battery) at stage st. fresh is set for a parametric
// include's result, which den never takes for one it has seen.
func (w *walk) aspect(v lang.Value, at lang.Span, st stage, fresh bool) {
	ev := w.m.ev
	w.depth++
	defer func() { w.depth-- }()
	if w.depth > 64 {
		w.unread(at, "den: aspects included too deeply (a cycle?)")
		return
	}
	switch x := v.(type) {
	case *lang.Attrs:
		if b, ok := x.Dyn.(denBattery); ok {
			w.battery(b.name, b.arg, at, st)
			return
		}
		if p, ok := x.Dyn.(denPer); ok {
			// den.lib.perHost / perUser: the aspect at the stage whose
			// context is exactly { host } (or { host, user }).
			if (st.user != nil) == p.user {
				w.inFn++
				w.aspect(ev.Force(p.aspect), at, st, true)
				w.inFn--
			}
			return
		}
		if h, p := modsys.NodeOf(x); h == w.m.h && len(p) > 0 && p[0] == "den" {
			w.named(canonical(p), at, st)
			return
		}
		if u, ok := x.Dyn.(interface{ Unlisted() string }); ok && u.Unlisted() != "" {
			w.unread(at, "den include: "+u.Unlisted())
			return
		}
		key := ""
		if !fresh && x.Dyn == nil {
			if sp := spanOfSet(x); sp.Valid() {
				key = "inline " + sp.String()
			}
		}
		first := key == "" || !w.seen[key]
		if key != "" {
			w.seen[key] = true
		}
		if w.cur == nil && w.inFn == 0 {
			// A stage's aspect written inline: a root of its own.
			n := &snode{}
			w.register(n)
			w.cur = n
			defer func() { w.cur = nil }()
		}
		if first {
			for _, c := range w.classes() {
				if cm, ok := x.Get(c); ok {
					w.addClass(c, cm.T)
				}
			}
			if _, ok := x.Get("homeManager"); ok {
				w.seen["homeManager"] = true
			}
		}
		if inc, ok := x.Get("includes"); ok {
			w.includes(ev.Force(inc.T), inc.T.Span(), st, first)
		}
	case *lang.Closure, *lang.Prim:
		w.call(x, at, st)
	case *lang.Unknown:
		w.unread(at, "den include: "+x.Why)
	case nil:
	default:
		w.unread(at, "den include that is not an aspect")
	}
}

// spanOfSet is where an inline set is written (its first binding).
func spanOfSet(x *lang.Attrs) lang.Span {
	var best lang.Span
	for _, at := range x.M {
		if at.Bind != nil && (!best.Valid() || at.Bind.Sp.Start < best.Start) {
			best = at.Bind.Sp
		}
	}
	return best
}

// named walks the aspect den defines at path p.
func (w *walk) named(p []string, at lang.Span, st stage) {
	ev := w.m.ev
	key := strings.Join(p, ".")
	if len(p) == 3 && p[1] == "provides" && len(w.leaves(p)) == 0 {
		w.battery(p[2], nil, at, st)
		return
	}
	first := !w.seen[key]
	w.seen[key] = true
	if w.inFn == 0 && !w.inline {
		n := w.nodes[key]
		if n == nil {
			n = &snode{}
			w.nodes[key] = n
		}
		if w.cur == nil {
			w.register(n)
		} else {
			w.cur.kids = append(w.cur.kids, n)
		}
		prev := w.cur
		w.cur = n
		defer func() { w.cur = prev }()
	}
	if first {
		for _, c := range w.classes() {
			for _, l := range w.leaves(append(append([]string(nil), p...), c)) {
				if l.Cond == modsys.CondUnknown {
					w.unread(l.T.Span(), "den aspect "+key+"."+c+" defined under a condition that cannot be known")
					continue
				}
				if u, ok := ev.Force(l.T).(*lang.Unknown); ok && u.At.Valid() {
					// A definition the reader cannot know (a namespace
					// source without source): where it says.
					w.unread(u.At, u.Why)
					continue
				}
				w.addClass(c, l.T)
			}
		}
		if len(w.leaves(append(append([]string(nil), p...), "homeManager"))) > 0 {
			w.seen["homeManager"] = true
		}
	}
	for _, l := range w.leaves(append(append([]string(nil), p...), "includes")) {
		w.includes(ev.Force(l.T), l.T.Span(), st, first)
	}
	// An aspect written as a function of the context is an include of it.
	for _, l := range w.leaves(p) {
		switch f := ev.Force(l.T).(type) {
		case *lang.Closure, *lang.Prim:
			w.call(f, l.T.Span(), st)
		case *lang.Unknown:
			if f.At.Valid() {
				w.unread(f.At, f.Why)
				continue
			}
			w.unread(l.T.Span(), "den aspect "+key+": "+f.Why)
		}
	}
}

// includes walks an includes list; static members only on the including
// aspect's first visit (den takes them once), functions at every stage.
func (w *walk) includes(v lang.Value, at lang.Span, st stage, first bool) {
	ev := w.m.ev
	l, ok := v.(*lang.List)
	if !ok {
		if u, isU := v.(*lang.Unknown); isU && u.At.Valid() {
			w.unread(u.At, u.Why)
		} else if isU {
			w.unread(at, "den includes: "+u.Why)
		}
		return
	}
	for _, e := range l.Elems {
		sp := e.Span()
		if !sp.Valid() {
			sp = at
		}
		switch x := ev.Force(e).(type) {
		case *lang.Closure, *lang.Prim:
			w.aspect(x, sp, st, false)
		case *lang.Attrs:
			if h, p := modsys.NodeOf(x); h == w.m.h && len(p) > 0 && p[0] == "den" {
				w.aspect(x, sp, st, false) // named: deduplicated by name
				continue
			}
			if _, isB := x.Dyn.(denBattery); isB || first {
				w.aspect(x, sp, st, false)
			}
		default:
			if first {
				w.aspect(x, sp, st, false)
			}
		}
	}
}

// call applies a parametric include where den applies it: a function of
// { class, aspect-chain } once per host, a function of the context at
// each stage whose context has every argument it requires.
func (w *walk) call(f lang.Value, at lang.Span, st stage) {
	ev := w.m.ev
	c, ok := f.(*lang.Closure)
	if !ok {
		w.unread(at, "den include that is a function the reader cannot look into")
		return
	}
	l := c.L
	if !l.HasSet {
		w.unread(at, "den include that is a function without a set pattern")
		return
	}
	req := map[string]bool{}
	for _, fm := range l.Formals {
		if fm.Default == nil {
			req[fm.Name] = true
		}
	}
	for _, n := range []string{"config", "lib", "options", "pkgs"} {
		if _, ok := req[n]; ok {
			w.unread(at, "den include that is a module function (it takes "+n+")")
			return
		}
	}
	arg := lang.NewAttrs()
	if req["class"] || req["aspect-chain"] {
		key := "provider " + c.L.Span().String()
		if w.seen[key] {
			return
		}
		w.seen[key] = true
		arg.Set("class", lang.StrV(w.class))
		arg.Set("aspect-chain", &lang.List{})
	} else {
		for n := range req {
			if !st.has(n) {
				return // not this stage's
			}
		}
		if len(req) == 0 && !l.Ellipsis {
			return
		}
		for _, n := range []string{"host", "user"} {
			if st.has(n) && (l.Ellipsis || hasFormal(l, n)) {
				if n == "host" {
					arg.SetThunk(n, st.host)
				} else {
					arg.SetThunk(n, st.user)
				}
			}
		}
	}
	w.inFn++
	w.aspect(ev.Force(lang.Lazy(func() lang.Value { return ev.Call(f, lang.ValThunk(arg), at) })), at, st, true)
	w.inFn--
}

func hasFormal(l *lang.Lambda, name string) bool {
	for _, f := range l.Formals {
		if f.Name == name {
			return true
		}
	}
	return false
}

// battery is one of den's batteries (den.provides.<name>).
func (w *walk) battery(name string, arg *lang.Thunk, at lang.Span, st stage) {
	key := "battery " + name
	if name == "forward" {
		w.forward(arg, at, st)
		return
	}
	if w.only != "" && w.only != w.class {
		return // den's other batteries give modules of the host's class
	}
	switch name {
	case "hostname":
		if w.seen[key] {
			return
		}
		w.seen[key] = true
		hn := lang.Lazy(func() lang.Value {
			return w.m.ev.SelectName(w.m.ev.Force(st.host), "hostName", at)
		})
		w.addMod(lang.ValThunk(nestAt(hn, "networking", "hostName")))
	case "define-user", "primary-user":
		if st.user == nil {
			return
		}
		key += " " + st.userName
		if w.seen[key] {
			return
		}
		w.seen[key] = true
		u := lang.NewAttrs()
		switch w.class {
		case "nixos":
			u.Set("isNormalUser", lang.Bool{B: true})
			if name == "primary-user" {
				u.Set("extraGroups", &lang.List{Elems: []*lang.Thunk{lang.ValThunk(lang.StrV("wheel")), lang.ValThunk(lang.StrV("networkmanager"))}})
			} else {
				u.Set("home", lang.StrV("/home/"+st.userName))
			}
		case "darwin":
			if name == "primary-user" {
				w.addMod(lang.ValThunk(nestAt(lang.ValThunk(lang.StrV(st.userName)), "system", "primaryUser")))
				return
			}
			u.Set("home", lang.StrV("/Users/"+st.userName))
		default:
			return
		}
		w.addMod(lang.ValThunk(nestAt(lang.ValThunk(u), "users", "users", st.userName)))
	case "user-shell":
		// (user-shell "zsh") at each user stage: the shell enabled and
		// made the user's login shell (pkgs.<shell>).
		if st.user == nil || (w.class != "nixos" && w.class != "darwin") {
			return
		}
		shell, ok := w.m.ev.Force(arg).(*lang.Str)
		if arg == nil || !ok {
			w.unread(at, "den battery den.provides.user-shell with a shell the reader cannot know")
			return
		}
		key += " " + shell.S + " " + st.userName
		if w.seen[key] {
			return
		}
		w.seen[key] = true
		user, sh := st.userName, shell.S
		w.addMod(lang.ValThunk(lang.NewPrim("den user-shell", 1, func(ev *lang.Evaluator, a []*lang.Thunk) lang.Value {
			pkgs := lang.Lazy(func() lang.Value { return ev.SelectName(ev.Force(a[0]), "pkgs", at) })
			shellPkg := lang.Lazy(func() lang.Value { return ev.SelectName(ev.Force(pkgs), sh, at) })
			mod := nestAt(shellPkg, "users", "users", user, "shell")
			mod.Set("programs", nestAt(lang.ValThunk(lang.Bool{B: true}), sh, "enable"))
			return mod
		})))
	case "mutual-provider":
		// At each user stage, what the host's and the users' aspects
		// provide each other (provides.<aspect name>, provides.to-users,
		// provides.to-hosts), as part of the including aspect; each
		// provider once per host (as Nix 2.8 gives it on the vendored den).
		if st.user == nil {
			return
		}
		w.mutual(st, at)
	case "unfree":
		// (unfree [ names ]): unfree.packages of the host's class, which
		// den turns into nixpkgs.config.allowUnfreePredicate.
		if w.class != "nixos" && w.class != "darwin" || arg == nil || w.seen[key] {
			return
		}
		w.seen[key] = true
		w.addMod(lang.ValThunk(nestAt(arg, "unfree", "packages")))
	case "host-aspects":
		// The host's homeManager class for the user: only root's is read
		// by the rules (home-manager.users.root).
		if st.user != nil && st.userName == "root" {
			w.unread(at, "den battery den.provides.host-aspects (the host's homeManager class for user root) is not in the reader's model of den")
		}
	case "inputs'", "self'":
		// flake-parts' per-system inputs' / self' as a module argument of
		// the host's class modules: no option the rules read.
		if st.user != nil || w.seen[key] {
			return
		}
		w.seen[key] = true
		args := lang.NewAttrs()
		args.Set(name, &lang.Attrs{Dyn: lang.UnknownSet{Why: "flake-parts' " + name + " (from den's battery)"}})
		margs := lang.NewAttrs()
		margs.Set("args", args)
		mod := lang.NewAttrs()
		mod.Set("_module", margs)
		w.addMod(lang.ValThunk(mod))
	default:
		if w.seen[key] {
			return
		}
		w.seen[key] = true
		w.unread(at, "den battery den.provides."+name+" is not in the reader's model of den")
	}
}

// forward is den's forward battery, den.provides.forward { each;
// fromClass; intoClass; intoPath; fromAspect ? }: for each item of each,
// the fromClass modules of its aspect (fromAspect item, else the item),
// resolved as den resolves one aspect for one class, become one module of
// class intoClass that imports them at intoPath (at the top for [ ]). Those
// going into the host's class come first, then the others (os, which den
// forwards a step later), each in the order of each, as Nix 2.8 gives it on
// the vendored den. A class the host does not take (homeManager, a class of
// the fleet's own) gives the host nothing. What needs den's adapters (guard,
// adaptArgs, adapterModule, evalConfig, mapModule, an intoPath that stays a
// function of module arguments) is a module not read, named.
func (w *walk) forward(arg *lang.Thunk, at lang.Span, st stage) {
	ev := w.m.ev
	const what = "den battery den.provides.forward"
	if arg == nil {
		w.unread(at, what+" not called with its arguments")
		return
	}
	fwd, ok := ev.Force(arg).(*lang.Attrs)
	if !ok {
		w.unread(at, what+" called with a value the reader cannot know")
		return
	}
	for _, n := range []string{"guard", "adaptArgs", "adapterModule", "evalConfig", "mapModule"} {
		if _, has := fwd.Get(n); has {
			w.unread(at, what+" with "+n+" (den's adapters) is not in the reader's model of den")
			return
		}
	}
	call := func(name string, item *lang.Thunk) (lang.Value, bool) {
		f, ok := fwd.Get(name)
		if !ok {
			return nil, false
		}
		return ev.Force(lang.Lazy(func() lang.Value { return ev.Call(ev.Force(f.T), item, at) })), true
	}
	str := func(name string, item *lang.Thunk) (string, bool) {
		v, _ := call(name, item)
		s, ok := v.(*lang.Str)
		if !ok {
			w.unread(at, what+": its "+name+" gives a class the reader cannot know")
			return "", false
		}
		return s.S, true
	}
	eachA, ok := fwd.Get("each")
	if !ok {
		w.unread(at, what+" without each")
		return
	}
	each, ok := ev.Force(eachA.T).(*lang.List)
	if !ok {
		why := "its each is not a list the reader can know"
		if u, isU := ev.Force(eachA.T).(*lang.Unknown); isU {
			why = "its each: " + u.Why
		}
		w.unread(at, what+": "+why)
		return
	}
	type forwarded struct {
		class string
		mod   *lang.Thunk
	}
	var first, later []forwarded
	for _, item := range each.Elems {
		from, ok1 := str("fromClass", item)
		into, ok2 := str("intoClass", item)
		if !ok1 || !ok2 {
			return
		}
		var path []string
		if pv, has := call("intoPath", item); has {
			l, ok := pv.(*lang.List)
			if !ok {
				w.unread(at, what+" with an intoPath that is not a list of names (den's adapters) is not in the reader's model of den")
				return
			}
			for _, e := range l.Elems {
				s, ok := ev.Force(e).(*lang.Str)
				if !ok {
					w.unread(at, what+": its intoPath has a name the reader cannot know")
					return
				}
				path = append(path, s.S)
			}
		}
		asp, has := call("fromAspect", item)
		if !has {
			asp = ev.Force(item)
			if a, ok := asp.(*lang.Attrs); ok {
				if r, ok := a.Get("resolved"); ok {
					asp = ev.Force(r.T)
				}
			}
		}
		if into != w.class && (into != "os" || (w.class != "nixos" && w.class != "darwin")) && (into != "user" || w.forUser == "") {
			continue // a class this host does not take
		}
		for _, t := range w.resolve(asp, from, at, st) {
			if len(path) > 0 {
				t = lang.ValThunk(nestAt(t, path...))
			}
			if into == w.class {
				first = append(first, forwarded{into, t})
			} else {
				later = append(later, forwarded{into, t})
			}
		}
	}
	for _, f := range append(first, later...) {
		w.addClass(f.class, f.mod)
	}
}

// resolve is den's aspects.resolve of one aspect for one class: the
// modules of that class in its include tree, walked at stage st as a
// host's aspects are (each resolve on its own: what the host's walk has
// seen is walked again).
func (w *walk) resolve(asp lang.Value, class string, at lang.Span, st stage) []*lang.Thunk {
	sub := &walk{m: w.m, dh: w.dh, class: w.class, only: class, seen: map[string]bool{}, nodes: map[string]*snode{}, depth: w.depth}
	sub.aspect(asp, at, st, false)
	for _, n := range sub.notes {
		if u, ok := w.m.ev.Force(n).(*lang.Unknown); ok {
			w.unread(u.At, u.Why)
		}
	}
	return append(sub.fromFns, sub.statics()...)
}

// mutual walks mutual-provider's includes at user stage st.
func (w *walk) mutual(st stage, at lang.Span) {
	m := w.m
	aspectOf := func(entity []string, name string) ([]string, string) {
		h, p := modsys.NodeOf(m.entityAspect(entity, name))
		if h != m.h || len(p) != 3 || p[1] != "aspects" {
			return nil, ""
		}
		return p, p[2]
	}
	hostP, hostN := aspectOf(w.dh.path, w.dh.name)
	userEntity := func(u string) []string {
		return append(append([]string(nil), w.dh.path...), "users", u)
	}
	users, _ := m.names(append(append([]string(nil), w.dh.path...), "users"))
	self := ""
	for _, u := range users {
		name := u
		if s, ok := m.str(append(userEntity(u), "userName")); ok {
			name = s
		}
		if name == st.userName {
			self = u
		}
	}
	if self == "" {
		return
	}
	userP, userN := aspectOf(userEntity(self), self)
	provider := func(from []string, name string) {
		if from == nil || name == "" {
			return
		}
		p := append(append([]string(nil), from...), "provides", name)
		key := "mutual " + strings.Join(p, ".")
		if w.seen[key] || len(w.leaves(p)) == 0 {
			return
		}
		w.seen[key] = true
		inline := w.inline
		w.inline = true
		w.named(p, at, st)
		w.inline = inline
	}
	provider(hostP, userN)
	provider(userP, hostN)
	provider(hostP, "to-users")
	provider(userP, "to-hosts")
	for _, u := range users {
		if u == self {
			continue
		}
		fromP, _ := aspectOf(userEntity(u), u)
		provider(fromP, userN)
		provider(fromP, "to-users")
	}
}

// denBattery is den.provides.<name> when the fleet does not define it.
type denBattery struct {
	name string
	arg  *lang.Thunk // what it was called with, if it was
}

// Get: a battery called with an argument (user-shell "zsh") is still that
// battery.
func (b denBattery) Get(name string) (*lang.Attr, bool) {
	if name == "__functor" {
		return &lang.Attr{T: lang.ValThunk(lang.NewPrim("den battery", 2, func(ev *lang.Evaluator, a []*lang.Thunk) lang.Value {
			return &lang.Attrs{Dyn: denBattery{b.name, a[1]}}
		}))}, true
	}
	return nil, false
}
func (denBattery) Names() ([]string, bool) { return []string{}, true }

// denArg is the den module argument: config.den, with den's lib and
// batteries as the reader models them.
type denArg struct{ m *denModel }

func (d denArg) Get(name string) (*lang.Attr, bool) {
	switch name {
	case "lib":
		return &lang.Attr{T: lang.ValThunk(denLib(d.m))}, true
	case "provides", "_", "batteries":
		// batteries: den.provides as denful/den's newer revisions name it.
		return &lang.Attr{T: lang.ValThunk(&lang.Attrs{Dyn: denProvides(d)})}, true
	case "hosts":
		// den.hosts as den gives it: each host an entity with den's
		// defaults (name, hostName, class, its users' userName, …).
		return &lang.Attr{T: lang.ValThunk(&lang.Attrs{Dyn: denHosts{d.m, nil}})}, true
	}
	return &lang.Attr{T: d.m.h.Value(d.m.path(name))}, true
}

func (d denArg) Names() ([]string, bool) { return d.m.names([]string{"den"}) }

// denProvides is den.provides: the fleet's own providers, else den's
// batteries.
type denProvides struct{ m *denModel }

func (p denProvides) Get(name string) (*lang.Attr, bool) {
	path := p.m.path("provides", name)
	if p.m.defined(path) || p.m.defined(p.m.path("_", name)) {
		return &lang.Attr{T: lang.ValThunk(p.m.h.Node(path...))}, true
	}
	return &lang.Attr{T: lang.ValThunk(&lang.Attrs{Dyn: denBattery{name: name}})}, true
}

func (p denProvides) Names() ([]string, bool) { return nil, false }

// denLib is den.lib as far as the reader models it: parametric and take
// leave the aspect or function they are given as it is (the walk applies
// it where den would); __findFile is den's angle brackets.
func denLib(m *denModel) *lang.Attrs {
	id := func(name string) *lang.Prim {
		return lang.NewPrim(name, 1, func(ev *lang.Evaluator, a []*lang.Thunk) lang.Value { return ev.Force(a[0]) })
	}
	param := lang.NewAttrs()
	param.Set("__functor", lang.NewPrim("parametric", 2, func(ev *lang.Evaluator, a []*lang.Thunk) lang.Value { return ev.Force(a[1]) }))
	for _, n := range []string{"atLeast", "exactly", "expands"} {
		param.Set(n, id("den.lib.parametric."+n))
	}
	// parametric.fixedTo ctx aspect: the aspect, walked at the stage it is
	// included in (the fleets give it that stage's own context).
	fixed := func(name string) *lang.Prim {
		return lang.NewPrim(name, 2, func(ev *lang.Evaluator, a []*lang.Thunk) lang.Value { return ev.Force(a[1]) })
	}
	fixedTo := lang.NewAttrs()
	fixedTo.Set("__functor", lang.NewPrim("den.lib.parametric.fixedTo", 3, func(ev *lang.Evaluator, a []*lang.Thunk) lang.Value { return ev.Force(a[2]) }))
	for _, n := range []string{"exactly", "atLeast", "upTo"} {
		fixedTo.Set(n, fixed("den.lib.parametric.fixedTo."+n))
	}
	param.Set("fixedTo", fixedTo)
	take := lang.NewAttrs()
	for _, n := range []string{"exactly", "atLeast", "upTo"} {
		take.Set(n, id("den.lib.take."+n))
	}
	per := func(name string, user bool) *lang.Prim {
		return lang.NewPrim(name, 1, func(ev *lang.Evaluator, a []*lang.Thunk) lang.Value {
			inc := &lang.Attrs{Dyn: denPer{aspect: a[0], user: user}}
			out := lang.NewAttrs()
			out.Set("includes", &lang.List{Elems: []*lang.Thunk{lang.ValThunk(inc)}})
			return out
		})
	}
	l := lang.NewAttrs()
	l.Set("parametric", param)
	l.Set("take", take)
	l.Set("perHost", per("den.lib.perHost", false))
	l.Set("perUser", per("den.lib.perUser", true))
	l.Set("__findFile", denFindFile(m))
	return &lang.Attrs{Dyn: lang.OverlaySet{Top: l, Base: &lang.Attrs{Dyn: denOwnLib{m}}}}
}

// denOwnLib is the rest of den.lib: what the fleet defines there itself
// (den.lib.<name> = …), else unknown.
type denOwnLib struct{ m *denModel }

func (d denOwnLib) Get(name string) (*lang.Attr, bool) {
	if p := d.m.path("lib", name); d.m.defined(p) {
		return &lang.Attr{T: d.m.h.Value(p)}, true
	}
	return lang.UnknownSet{Why: "den.lib is only partly in the reader's model of den:"}.Get(name)
}

func (denOwnLib) Names() ([]string, bool) { return nil, false }

func (denOwnLib) Unlisted() string { return "den.lib is only partly in the reader's model of den" }

// denPer is the include den.lib.perHost (perUser) makes of an aspect.
type denPer struct {
	aspect *lang.Thunk
	user   bool
}

func (denPer) Get(string) (*lang.Attr, bool) { return nil, false }
func (denPer) Names() ([]string, bool)       { return []string{}, true }

// denHosts is den.hosts (sys nil) or den.hosts.<system> as den gives
// them: each host a den entity.
type denHosts struct {
	m   *denModel
	sys []string
}

func (d denHosts) Get(name string) (*lang.Attr, bool) {
	names, ok := d.Names()
	if ok && !slices.Contains(names, name) {
		return nil, false
	}
	if d.sys == nil && isSystem(name) {
		return &lang.Attr{T: lang.ValThunk(&lang.Attrs{Dyn: denHosts{d.m, []string{name}}})}, true
	}
	hosts, why := d.m.listHosts()
	if why != "" {
		return &lang.Attr{T: d.m.h.Value(d.path(name))}, true
	}
	for i := range hosts {
		dh := hosts[i]
		if dh.name == name && (d.sys == nil && !isSystem(dh.path[2]) || d.sys != nil && dh.system == d.sys[0] && len(dh.path) == 4) {
			return &lang.Attr{T: lang.ValThunk(&lang.Attrs{Dyn: denEntity{m: d.m, path: dh.path, host: &dh}})}, true
		}
	}
	return &lang.Attr{T: d.m.h.Value(d.path(name))}, true
}

func (d denHosts) path(name string) []string {
	return append(append(d.m.path("hosts"), d.sys...), name)
}

func (d denHosts) Names() ([]string, bool) { return d.m.names(append(d.m.path("hosts"), d.sys...)) }

// denEntity is a host or user as den's context gives it: what the fleet
// defines, with den's defaults for the rest.
type denEntity struct {
	m     *denModel
	path  []string
	host  *denHost
	user  string      // "" for the host
	hostT *lang.Thunk // the user's host
}

func (e denEntity) defaults() map[string]func() lang.Value {
	m := e.m
	if e.user == "" {
		dh := *e.host
		return map[string]func() lang.Value{
			"name":     func() lang.Value { return lang.StrV(dh.name) },
			"hostName": func() lang.Value { return lang.StrV(dh.name) },
			"system":   func() lang.Value { return lang.StrV(dh.system) },
			"class":    func() lang.Value { return lang.StrV(m.class(dh)) },
			"aspect":   func() lang.Value { return m.entityAspect(e.path, dh.name) },
			"users": func() lang.Value {
				return &lang.Attrs{Dyn: denUsers{e}}
			},
		}
	}
	return map[string]func() lang.Value{
		"name":     func() lang.Value { return lang.StrV(e.user) },
		"userName": func() lang.Value { return lang.StrV(e.user) },
		"classes":  func() lang.Value { return &lang.List{Elems: []*lang.Thunk{lang.ValThunk(lang.StrV("user"))}} },
		"aspect":   func() lang.Value { return m.entityAspect(e.path, e.user) },
		"host":     func() lang.Value { return m.ev.Force(e.hostT) },
	}
}

func (e denEntity) Get(name string) (*lang.Attr, bool) {
	p := append(append([]string(nil), e.path...), name)
	if d, ok := e.defaults()[name]; ok && (!e.m.defined(p) || name == "users") {
		return &lang.Attr{T: lang.Lazy(d)}, true
	}
	if !e.m.defined(p) {
		if t := e.schemaDefault(name); t != nil {
			return &lang.Attr{T: t}, true
		}
		if names, ok := e.m.names(e.path); ok {
			found := false
			for _, n := range names {
				found = found || n == name
			}
			if !found {
				return nil, false
			}
		}
	}
	return &lang.Attr{T: e.m.h.Value(p)}, true
}

// schemaDefault is the default of the option name that the fleet's
// den.schema.host (or .user) declares, written as a set
// (options.<name> = mkOption { default = …; }), nil when none does.
func (e denEntity) schemaDefault(name string) *lang.Thunk {
	kind := "host"
	if e.user != "" {
		kind = "user"
	}
	p := e.m.path("schema", kind, "options", name)
	if !e.m.defined(p) {
		return nil
	}
	opt, ok := e.m.ev.Force(e.m.h.Value(p)).(*lang.Attrs)
	if !ok {
		return nil
	}
	if t, ok := opt.Get("_type"); !ok || !isStr(e.m.ev.Force(t.T), "option") {
		return nil
	}
	d, ok := opt.Get("default")
	if !ok {
		return nil
	}
	return d.T
}

func isStr(v lang.Value, s string) bool {
	x, ok := v.(*lang.Str)
	return ok && x.S == s
}

func (e denEntity) Names() ([]string, bool) {
	names, ok := e.m.names(e.path)
	if !ok {
		return nil, false
	}
	seen := map[string]bool{}
	for _, n := range names {
		seen[n] = true
	}
	for n := range e.defaults() {
		if !seen[n] {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names, true
}

// denUsers is host.users: each a user entity.
type denUsers struct{ host denEntity }

func (u denUsers) Get(name string) (*lang.Attr, bool) {
	names, ok := u.Names()
	if ok {
		found := false
		for _, n := range names {
			found = found || n == name
		}
		if !found {
			return nil, false
		}
	}
	h := u.host
	hostT := lang.ValThunk(&lang.Attrs{Dyn: h})
	up := append(append([]string(nil), h.path...), "users", name)
	return &lang.Attr{T: lang.ValThunk(&lang.Attrs{Dyn: denEntity{m: h.m, path: up, host: h.host, user: name, hostT: hostT}})}, true
}

func (u denUsers) Names() ([]string, bool) {
	return u.host.m.names(append(append([]string(nil), u.host.path...), "users"))
}

// nestAt is the set { p0.p1.….pn = t; } of a module den composes.
func nestAt(t *lang.Thunk, path ...string) *lang.Attrs {
	set := lang.NewAttrs()
	set.SetThunk(path[len(path)-1], t)
	for i := len(path) - 2; i >= 0; i-- {
		outer := lang.NewAttrs()
		outer.Set(path[i], set)
		set = outer
	}
	return set
}

// DenNamespace is den's namespace function (inputs.den.namespace name
// sources): a flake module that makes the namespace den.ful.<name>, an
// aspect tree of its own. As in den, definitions written at <name> go to
// den.ful.<name> (lib's mkAliasOptionModule), the module argument <name>
// is den.ful.<name>, each set among sources (another flake, or any set
// with denful.<name>) has its denful.<name> merged in (without its _
// aliases), and a true among them exports the namespace as the flake's
// denful.<name>. A source whose denful.<name> the reader cannot know (a
// flake input without source) is a module not read, named.
func DenNamespace(input string) *lang.Prim {
	return lang.NewPrim("den namespace", 2, func(ev *lang.Evaluator, a []*lang.Thunk) lang.Value {
		n, ok := ev.Force(a[0]).(*lang.Str)
		if !ok {
			return &lang.Unknown{Why: input + ".namespace with a name the reader cannot know", At: a[0].Span()}
		}
		name, sources := n.S, a[1]
		return lang.NewPrim("den namespace "+name, 1, func(ev *lang.Evaluator, b []*lang.Thunk) lang.Value {
			args, bad := ev.ForceAttrs(b[0])
			if bad != nil {
				return bad
			}
			cfg, ok := args.Get("config")
			if !ok {
				return &lang.Unknown{Why: "den namespace " + name + " was given no config"}
			}
			h, _ := modsys.NodeOf(ev.Force(cfg.T))
			if h == nil {
				return &lang.Unknown{Why: "den namespace " + name + " outside a module system the reader runs"}
			}
			h.ProvideArg(name, lang.ValThunk(h.Node("den", "ful", name)))
			var imports []*lang.Thunk
			output := false
			for _, s := range flattenList(ev, ev.Force(sources), sources.Span(), 0) {
				switch x := s.v.(type) {
				case lang.Bool:
					output = output || x.B
				case *lang.Attrs:
					imports = append(imports, namespaceSource(ev, name, x, s.at))
				case *lang.Unknown:
					imports = append(imports, namespaceUnknown(name, "a source the reader cannot know: "+x.Why, s.at))
				}
			}
			config := lang.NewAttrs()
			if defsOf, ok := args.Get("__nblDefinitionsOf"); ok {
				// The alias <name> -> den.ful.<name>.
				path := &lang.List{Elems: []*lang.Thunk{lang.ValThunk(lang.StrV(name))}}
				defs := lang.Lazy(func() lang.Value { return ev.Call(ev.Force(defsOf.T), lang.ValThunk(path), lang.Span{}) })
				config.Set("den", nestAt(defs, "ful", name))
			}
			if output {
				config.Set("flake", nestAt(h.Value([]string{"den", "ful", name}), "denful", name))
			}
			mod := lang.NewAttrs()
			mod.Set("imports", &lang.List{Elems: imports})
			mod.Set("config", config)
			return mod
		})
	})
}

type spanned struct {
	v  lang.Value
	at lang.Span
}

// flattenList is lib.flatten [ v ]: the values of nested lists, each with
// where it is written.
func flattenList(ev *lang.Evaluator, v lang.Value, at lang.Span, depth int) []spanned {
	l, ok := v.(*lang.List)
	if !ok || depth > 16 {
		return []spanned{{v, at}}
	}
	var out []spanned
	for _, e := range l.Elems {
		sp := e.Span()
		if !sp.Valid() {
			sp = at
		}
		out = append(out, flattenList(ev, ev.Force(e), sp, depth+1)...)
	}
	return out
}

// namespaceSource is the module of one source of a namespace:
// den.ful.<name> = its denful.<name>, each aspect without its _ alias.
func namespaceSource(ev *lang.Evaluator, name string, src *lang.Attrs, at lang.Span) *lang.Thunk {
	return lang.Lazy(func() lang.Value {
		v := namespaceSourceDefs(ev, name, src)
		if u, ok := v.(*lang.Unknown); ok {
			return ev.Force(namespaceUnknown(name, u.Why, at))
		}
		den := lang.NewAttrs()
		den.Set("den", nestAt(lang.ValThunk(v), "ful", name))
		mod := lang.NewAttrs()
		mod.Set("config", den)
		return mod
	})
}

// namespaceUnknown is the module of a namespace source the reader cannot
// know: it may define any aspect of the namespace, so every aspect read
// from it has an unknown definition, and a host that includes one has a
// module not read, saying why.
func namespaceUnknown(name, why string, at lang.Span) *lang.Thunk {
	den := lang.NewAttrs()
	den.Set("den", nestAt(lang.ValThunk(&lang.Unknown{Why: "den namespace " + name + ": " + why, At: at}), "ful", name))
	mod := lang.NewAttrs()
	mod.Set("config", den)
	return lang.ValThunk(mod)
}

// namespaceSourceDefs is denful.<name> of a source, each aspect without
// its _ alias (unknown, saying why, when it cannot be read).
func namespaceSourceDefs(ev *lang.Evaluator, name string, src *lang.Attrs) lang.Value {
	d, ok := src.Get("denful")
	if !ok {
		return &lang.Unknown{Why: "a source without denful"}
	}
	ds, ok := ev.Force(d.T).(*lang.Attrs)
	if !ok {
		why := "a source whose denful is not a set"
		if u, isU := ev.Force(d.T).(*lang.Unknown); isU {
			why = "a source the reader cannot know: " + u.Why
		}
		return &lang.Unknown{Why: why}
	}
	ns, ok := ds.Get(name)
	if !ok {
		return &lang.Unknown{Why: "a source without denful." + name}
	}
	aspects, ok := ev.Force(ns.T).(*lang.Attrs)
	if !ok {
		return &lang.Unknown{Why: "denful." + name + " of a source is not a set"}
	}
	names, ok := aspects.Names()
	if !ok {
		return &lang.Unknown{Why: "denful." + name + " of a source: " + aspects.Unlisted()}
	}
	stripped := &lang.Attrs{M: make(map[string]*lang.Attr, len(names))}
	for _, n := range names {
		orig, _ := aspects.Get(n)
		t := orig.T
		c := *orig
		c.T = lang.LazyAt(t.Span(), func() lang.Value {
			v := ev.Force(t)
			a, ok := v.(*lang.Attrs)
			if !ok {
				return v
			}
			if _, has := a.Get("_"); !has {
				return v
			}
			keys, ok := a.Names()
			if !ok {
				return v
			}
			out := &lang.Attrs{M: make(map[string]*lang.Attr, len(keys))}
			for _, k := range keys {
				if k != "_" {
					out.M[k], _ = a.Get(k)
				}
			}
			return out
		})
		stripped.M[n] = &c
	}
	return stripped
}

// denFindFile is den.lib.__findFile, den's angle brackets: <a/b/c> is the
// aspect path a.provides.b.provides.c, looked up as den looks it up:
// den.<rest> for a path starting with den (<den/hostname>: the battery),
// den.aspects.<path> when den.aspects has its first name, else the
// namespace den.ful.<first> (a provides right after the namespace's name
// left out). Anything else is an aspect den does not find (Nix throws):
// unknown, saying so.
func denFindFile(m *denModel) *lang.Prim {
	return lang.NewPrim("den.lib.__findFile", 2, func(ev *lang.Evaluator, a []*lang.Thunk) lang.Value {
		s, ok := ev.Force(a[1]).(*lang.Str)
		if !ok {
			return &lang.Unknown{Why: "den angle brackets with a name the reader cannot know"}
		}
		path := strings.Split(strings.ReplaceAll(s.S, "/", ".provides."), ".")
		head, tail := path[0], path[1:]
		switch {
		case head == "den":
			v := lang.Value(&lang.Attrs{Dyn: denArg{m}})
			for _, n := range tail {
				v = ev.SelectName(v, n, a[1].Span())
			}
			return v
		case m.defined(m.path("aspects", head)):
			return m.h.Node(m.path(append([]string{"aspects"}, path...)...)...)
		case m.defined(m.path("ful", head)):
			if len(tail) > 0 && tail[0] == "provides" {
				tail = tail[1:]
			}
			return m.h.Node(m.path(append([]string{"ful", head}, tail...)...)...)
		}
		return &lang.Unknown{Why: "den angle brackets <" + s.S + ">: no aspect " + strings.Join(path, ".") + " (den.aspects." + head + " and the namespace den.ful." + head + " are not defined)"}
	})
}
