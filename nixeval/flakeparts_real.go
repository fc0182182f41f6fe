package nixeval

import (
	"strings"

	"github.com/nixbuild-lint/nixbuild-lint/nixeval/frameworks"
	"github.com/nixbuild-lint/nixbuild-lint/nixeval/lang"
)

// flake-parts from its real source. When a flake's flake-parts input and
// the nixpkgs lib it is locked to (its nixpkgs-lib input) are both in the
// store, mkFlake is flake-parts' own, run by the static evaluator on
// nixpkgs' real lib. Where the real source stops (mkFlake is not there,
// its outputs or configurations cannot be read, an error), the reader's
// model (nixeval/frameworks/flakeparts.go) reads the flake instead and a
// note of the fleet says why.

// flakePartsModelOnly turns the real source off (tests compare both).
var flakePartsModelOnly bool

// flakePartsLibInStore reports whether the flake-parts input of lock node
// key can run from its source: its nixpkgs-lib input's lib is in the
// store.
func flakePartsLibInStore(l *LockFile, key string) bool {
	if flakePartsModelOnly {
		return false
	}
	lib, ok := l.Input(key, "nixpkgs-lib")
	return ok && realLibDir(l, lib, "nixpkgs-lib", l.url(lib)) != ""
}

// flakePartsInput is the model's stand-in for in when in is flake-parts
// (a local path: input known by its name, as realLibDir knows nixpkgs).
func flakePartsInput(in inputStandIn) (inputStandIn, bool) {
	if in.framework() == kindFlakeParts {
		return in, true
	}
	local := strings.HasPrefix(in.url, "path:") || strings.HasPrefix(in.url, "/")
	if local && inputKind(in.name, "") == kindFlakeParts {
		in.url = ""
		return in, true
	}
	return in, false
}

// realFlakePartsInput is the flake-parts input read from the store (real,
// its flake as storeFlake reads it) whose lib.mkFlake falls back to the
// model (in).
func realFlakePartsInput(real *lang.Thunk, in inputStandIn) *lang.Thunk {
	return lang.Lazy(func() lang.Value {
		v := in.ev.Force(real)
		self, ok := v.(*lang.Attrs)
		if !ok {
			return v
		}
		return &lang.Attrs{Dyn: realFlakeParts{self: self, model: in}}
	})
}

// realFlakeParts is flake-parts' real flake, its lib.mkFlake wrapped.
type realFlakeParts struct {
	self  *lang.Attrs
	model inputStandIn
}

func (p realFlakeParts) Get(name string) (*lang.Attr, bool) {
	if name != "lib" {
		return p.self.Get(name)
	}
	lib := lang.Lazy(func() lang.Value {
		var real *lang.Attrs
		why := "flake-parts' lib"
		if at, ok := p.self.Get("lib"); ok {
			switch v := p.model.ev.Force(at.T).(type) {
			case *lang.Attrs:
				real = v
			case *lang.Unknown:
				why = v.Why
			}
		}
		return &lang.Attrs{Dyn: realFlakePartsLib{real: real, why: why, p: p}}
	})
	return &lang.Attr{T: lib}, true
}

func (p realFlakeParts) Names() ([]string, bool) { return p.self.Names() }

// realFlakePartsLib is flake-parts' real lib (nil when it cannot be read,
// why says why), with mkFlake falling back to the model's.
type realFlakePartsLib struct {
	real *lang.Attrs
	why  string
	p    realFlakeParts
}

func (l realFlakePartsLib) Get(name string) (*lang.Attr, bool) {
	if name == "mkFlake" {
		return &lang.Attr{T: lang.ValThunk(lang.NewPrim("mkFlake", 2, func(ev *lang.Evaluator, a []*lang.Thunk) lang.Value {
			return &lang.Attrs{Dyn: &flakePartsOutputs{ev: ev, lib: l, args: a[0], module: a[1]}}
		}))}, true
	}
	if l.real != nil {
		return l.real.Get(name)
	}
	return inputLib{l.p.model}.Get(name)
}

func (l realFlakePartsLib) Names() ([]string, bool) {
	if l.real != nil {
		return l.real.Names()
	}
	return inputLib{l.p.model}.Names()
}

// flakePartsOutputs is what mkFlake args module gives: the real mkFlake's
// outputs when they can be read, else the model's. Which one is decided
// when the outputs are first looked into (by then the flake's outputs,
// which self is, are a value: the real evaluation may read self).
type flakePartsOutputs struct {
	ev           *lang.Evaluator
	lib          realFlakePartsLib
	args, module *lang.Thunk
	real         *lang.Thunk // the real outputs, while deciding
	v            *lang.Attrs
	why          string // why the model read them, when it did
}

// note says that the model read the flake and why; the flake-level
// modules the model could not read either (a flake module of an input
// without source, which the real module system cannot take) are named.
func (o *flakePartsOutputs) note() string {
	n := "flake-parts read by the reader's model, not its source in the store: the real mkFlake stopped on " + o.why
	if unread := frameworks.FlakeModulesNotRead(o.v); len(unread) > 0 {
		n += "; flake modules not read: " + strings.Join(unread, "; ")
	}
	return n
}

func (o *flakePartsOutputs) outputs() *lang.Attrs {
	if o.v != nil {
		return o.v
	}
	if o.real != nil {
		// Read while deciding (self.<name> from inside the real
		// evaluation): the real outputs, as in Nix.
		v, _ := o.ev.Force(o.real).(*lang.Attrs)
		if v == nil {
			v = &lang.Attrs{Dyn: lang.UnknownSet{Why: "the outputs of flake-parts' mkFlake"}}
		}
		return v
	}
	ev := o.ev
	why := ""
	if o.lib.real == nil {
		why = "its lib: " + o.lib.why
	} else if mk, ok := o.lib.real.Get("mkFlake"); !ok {
		why = "its lib has no mkFlake"
	} else {
		at := o.module.Span()
		o.real = lang.Lazy(func() lang.Value {
			return ev.Call(ev.Call(ev.Force(mk.T), o.args, at), o.module, at)
		})
		v, stop := readableOutputs(ev, o.real)
		o.real = nil
		if stop == "" {
			o.v = v
			return v
		}
		why = stop
	}
	o.why = why
	sess := sessionOf(ev)
	sess.flakePartsFallbacks = append(sess.flakePartsFallbacks, o)
	model := o.lib.p.model.frameworkFns().M["mkFlake"]
	o.v, _ = ev.Force(lang.Lazy(func() lang.Value {
		return ev.Call(ev.Call(ev.Force(model.T), o.args, o.module.Span()), o.module, o.module.Span())
	})).(*lang.Attrs)
	if o.v == nil {
		o.v = &lang.Attrs{Dyn: lang.UnknownSet{Why: "the outputs of flake-parts' mkFlake"}}
	}
	return o.v
}

// readableOutputs forces a flake's outputs far enough to tell whether its
// configurations can be read: a set whose names are known, and
// nixosConfigurations and darwinConfigurations (when there) sets of
// known names whose every value is a host. stop says what was not.
func readableOutputs(ev *lang.Evaluator, t *lang.Thunk) (*lang.Attrs, string) {
	fatal := ev.Fatal // kept: an error of the real path is not the run's
	ev.Fatal = nil
	defer func() { ev.Fatal = fatal }()
	stopped := func(v lang.Value, what string) string {
		if ev.Fatal != nil {
			return ev.Fatal.Error()
		}
		if u, ok := v.(*lang.Unknown); ok {
			return what + ": " + u.Why
		}
		return what + " is not a set"
	}
	ov := ev.Force(t)
	outs, ok := ov.(*lang.Attrs)
	if !ok || ev.Fatal != nil {
		return nil, stopped(ov, "its outputs")
	}
	if _, ok := outs.Names(); !ok {
		return nil, "its outputs: " + outs.Unlisted()
	}
	for _, k := range []string{"nixosConfigurations", "darwinConfigurations"} {
		at, ok := outs.Get(k)
		if !ok {
			continue
		}
		cv := ev.Force(at.T)
		cs, ok := cv.(*lang.Attrs)
		if !ok || ev.Fatal != nil {
			return nil, stopped(cv, k)
		}
		names, ok := cs.Names()
		if !ok {
			return nil, k + ": " + cs.Unlisted()
		}
		for _, n := range names {
			h, _ := cs.Get(n)
			v := ev.Force(h.T)
			if _, isNull := v.(lang.Null); isNull && ev.Fatal == nil {
				continue // no configuration there, as configurations reads it
			}
			if hv, ok := v.(*lang.Attrs); !ok || hv.Host == nil || ev.Fatal != nil {
				return nil, stopped(v, k+"."+n)
			}
		}
	}
	return outs, ""
}

func (o *flakePartsOutputs) Get(name string) (*lang.Attr, bool) { return o.outputs().Get(name) }

func (o *flakePartsOutputs) Names() ([]string, bool) { return o.outputs().Names() }

// Unlisted says why the outputs' names cannot be listed.
func (o *flakePartsOutputs) Unlisted() string { return o.outputs().Unlisted() }
