package nixeval

import "strings"

// Loader gives the evaluator the files of the tree: import and the
// builtins that read files go through it.
type Loader interface {
	// ResolveImport turns a directory into its default.nix.
	ResolveImport(p string) string
	// Load parses a file (from is the expression that asked for it).
	Load(p string, from Span) (Expr, *Source, error)
	// Readable reports whether a store path lies in an input read from
	// the store (other store paths are not the fleet's to read).
	Readable(p string) bool
}

func (ev *Evaluator) realPath(v Value) (string, bool) {
	switch p := v.(type) {
	case *Path:
		if p.Virtual {
			return "", false
		}
		return p.P, true
	case *Str:
		if p.Path != nil {
			return ev.realPath(p.Path)
		}
		if strings.HasPrefix(p.S, "/") && (!strings.HasPrefix(p.S, "/nix/store") || ev.loader.Readable(p.S)) {
			return p.S, true
		}
	}
	return "", false
}

// importValue evaluates a file once per fleet.
func (ev *Evaluator) importValue(v Value) Value {
	p, ok := ev.realPath(v)
	if !ok {
		if u, isU := v.(*Unknown); isU {
			return u
		}
		return &Unknown{Why: "import of something outside the tree"}
	}
	p = ev.loader.ResolveImport(p)
	if t, ok := ev.imports[p]; ok {
		return ev.force(t)
	}
	var from Span
	if pv, ok := v.(*Path); ok {
		from = pv.At
	}
	e, _, err := ev.loader.Load(p, from)
	if err != nil {
		ev.fail(err)
		return &Unknown{Why: err.Error()}
	}
	t := ev.thunk(e, ev.root)
	ev.imports[p] = t
	return ev.force(t)
}

// unknownSet is a set whose every attribute is unknown, for why.
type unknownSet struct{ why string }

func (u unknownSet) Get(name string) (*Attr, bool) {
	return &Attr{T: valThunk(&Unknown{Why: u.why + " " + name})}, true
}
func (u unknownSet) Names() ([]string, bool) { return nil, false }

// opaqueModule is a module of a flake input whose source is not here: a
// set (so flatten keeps it, and a module list holding it is still a list)
// equal to itself only (so unique and elem keep the fleet's own modules),
// whose contents are unknown.
type opaqueModule struct{ input, name string }

func (opaqueModule) Get(string) (*Attr, bool) { return nil, false }
func (opaqueModule) Names() ([]string, bool)  { return nil, false }

// overlaySet is top // base where base cannot list its names.
type overlaySet struct {
	top  *Attrs
	base *Attrs
}

func (o overlaySet) Get(name string) (*Attr, bool) {
	if at, ok := o.top.Get(name); ok {
		return at, true
	}
	return o.base.Get(name)
}

func (o overlaySet) Names() ([]string, bool) { return nil, false }
