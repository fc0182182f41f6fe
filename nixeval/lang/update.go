package lang

import (
	"slices"
	"strings"
)

// PartUpdate is l // r where r cannot be listed: an unknown value (lib.optionalAttrs
// c { … } with c undecidable, a flake input's output) or a set whose names cannot be
// known. l may be such a set too. The names of l that r cannot be shown to override keep their value; the rest
// (what r adds, and the names of l that r may replace) is the unknown part, and Why
// says where it comes from.
type PartUpdate struct {
	L *Attrs
	// R is the right side: *Attrs whose names cannot be listed, or *Unknown.
	R Value
	// Cond is the set r is when its unknown condition holds (r is empty
	// otherwise): its names are those r may override.
	Cond *Attrs
	Why  string
	ev   *Evaluator
}

// partUpdate is l // r for a right side that cannot be listed, at sp (the
// right side's place). l may not list its names either (a flake input's
// outputs // its sourceInfo // { … }): each name is still selected as Nix
// selects it, from r when r has it, else from l, without listing either
// side; only the names of the result stay unlisted.
func (ev *Evaluator) partUpdate(l *Attrs, r Value, sp Span) Value {
	p := PartUpdate{L: l, R: r, Why: rightSideWhy(r, sp), ev: ev}
	if _, ok := l.Names(); !ok {
		p.Why = strings.TrimPrefix(l.Unlisted(), "attribute names cannot be listed: ") + "; and " + p.Why
	}
	if u, ok := r.(*Unknown); ok && u.IfSet != nil {
		if c, ok := ev.Force(u.IfSet).(*Attrs); ok {
			if _, listed := c.Names(); listed {
				p.Cond = c
			}
		}
	}
	return &Attrs{Dyn: p, Host: l.Host}
}

// rightSideWhy is "the right side of // at file:line:col", with the right
// side's own reason; a // inside the reader's lib is named by that reason
// only.
func rightSideWhy(r Value, sp Span) string {
	why := ""
	switch x := r.(type) {
	case *Unknown:
		why = x.Why
	case *Attrs:
		why = strings.TrimPrefix(strings.TrimPrefix(x.Unlisted(), "attribute names cannot be listed"), ": ")
	}
	if !sp.Valid() || sp.Src.Internal && !sp.Src.Store {
		if why == "" {
			return "the right side of a // cannot be listed"
		}
		return why
	}
	out := "the right side of // at " + sp.String()
	if why != "" {
		out += " (" + why + ")"
	}
	return out
}

// Get is l's attribute unless r is shown to have name. A name r may set
// under its unknown condition is unknown when l has it too, and not found
// when it has not (so ? is unknown, as it is in Nix). Of a right side whose
// names cannot be listed, a known value wins; an unknown one (a stand-in
// answers every name) leaves l's.
func (p PartUpdate) Get(name string) (*Attr, bool) {
	la, inL := p.L.Get(name)
	if p.Cond != nil {
		if _, ok := p.Cond.Get(name); ok {
			if !inL {
				return nil, false
			}
			return &Attr{T: ValThunk(&Unknown{Why: p.Why + ": " + name + " is replaced when the condition holds"})}, true
		}
		return la, inL
	}
	r, ok := p.R.(*Attrs)
	if !ok {
		return la, inL
	}
	ra, inR := r.Get(name)
	switch {
	case !inR:
		return la, inL
	case !inL:
		return ra, true
	}
	ev := p.ev
	return &Attr{T: Lazy(func() Value {
		if v := ev.Force(ra.T); !isUnknown(v) {
			return v
		}
		return ev.Force(la.T)
	}), Bind: la.Bind, KeyIdx: la.KeyIdx, Last: la.Last}, true
}

// Names cannot be listed: the unknown part may add some.
func (p PartUpdate) Names() ([]string, bool) { return nil, false }

// Unlisted says why.
func (p PartUpdate) Unlisted() string { return p.Why }

// KnownNames are the names of l that r cannot be shown to override (in
// Nix's order), and why the rest cannot be listed.
func (p PartUpdate) KnownNames() ([]string, string) {
	names, listed := p.L.Names()
	if !listed {
		if k, partly := p.L.Dyn.(PartlyListed); partly {
			names, _ = k.KnownNames()
		}
	}
	if r, ok := p.R.(*Attrs); ok {
		// l // (r // { c = …; }): what the right side surely sets.
		var more []string
		switch d := r.Dyn.(type) {
		case OverlaySet:
			more, _ = d.Top.Names()
		case PartlyListed:
			more, _ = d.KnownNames()
		}
		if len(more) > 0 {
			names = append(slices.Clone(names), more...)
			slices.Sort(names)
			names = slices.Compact(names)
		}
	}
	if p.Cond == nil {
		return names, p.Why
	}
	out := make([]string, 0, len(names))
	for _, n := range names {
		if _, ok := p.Cond.Get(n); !ok {
			out = append(out, n)
		}
	}
	return slices.Clip(out), p.Why
}

// PartlyListed is a set of which some names are known and the rest cannot
// be listed (PartUpdate): the known names, and why the rest is not.
type PartlyListed interface {
	KnownNames() ([]string, string)
}
