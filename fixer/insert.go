package fixer

import (
	"strings"

	"github.com/nixbuild-lint/nixbuild-lint/model"
	"github.com/nixbuild-lint/nixbuild-lint/nixeval"
	"github.com/nixbuild-lint/nixbuild-lint/nixeval/lang"
	"github.com/nixbuild-lint/nixbuild-lint/rules"
)

// insertOption writes a new definition `option = value;` in the natural
// home: inside an existing block of the option's prefix (`boot = { … };`),
// else next to dotted definitions of the prefix (`boot.loader… = …;`), else
// at the end of the host's main configuration file.
func (p *Planner) insertOption(h *model.Host, option, value string) ([]Edit, error) {
	// The host's main file first, even when another file already holds
	// options of the prefix; other files only when it cannot take it.
	if h.MainFile != "" && !p.generated(h.MainFile) {
		if edits, err := p.insertIn(h, option, value, func(f string) bool { return f == h.MainFile }); err == nil {
			return edits, nil
		}
		if edits, err := p.insertAtEnd(h, option, value); err == nil {
			return edits, nil
		}
	}
	edits, err := p.insertIn(h, option, value, func(f string) bool { return f != h.MainFile && !p.generated(f) })
	if err == nil {
		return edits, nil
	}
	if h.MainFile == "" {
		return nil, refuse("host %s has no module file of its own to add %s = %s; to (its files are shared with other hosts or generated): add it to the host's own modules by hand", h.Name, option, value)
	}
	if p.generated(h.MainFile) {
		return nil, refuse("host %s's only file for %s is %s, which a tool writes: add %s = %s; to a module of your own", h.Name, option, h.MainFile, option, value)
	}
	return p.insertAtEnd(h, option, value)
}

// generated reports whether a tool writes the file (edits there are lost).
func (p *Planner) generated(file string) bool {
	data, _ := p.content(file)
	return nixeval.IsGenerated(file, data)
}

var errNoPlace = refuse("no definition of the option's prefix")

// insertIn adds the option next to definitions of its prefix in the files
// that ok accepts.
func (p *Planner) insertIn(h *model.Host, option, value string, ok func(string) bool) ([]Edit, error) {
	keys := strings.Split(option, ".")
	for n := len(keys) - 1; n >= 1; n-- {
		prefix := strings.Join(keys[:n], ".")
		var sets, dotted []model.Def
		for _, d := range h.Defs[prefix] {
			if len(d.SharedBy) > 0 || d.Conditional || !d.At.Known() || !ok(d.At.File) {
				continue
			}
			if d.Depth == d.PathLen && d.ValueKind == "set" && !d.Computed {
				sets = append(sets, d)
			} else if d.Depth < d.PathLen {
				dotted = append(dotted, d)
			}
		}
		// `prefix = { … };`: add the rest of the path inside the block.
		for _, d := range preferFile(sets, h.MainFile) {
			e, data, err := p.node(d.Value)
			if err != nil {
				continue
			}
			if set, ok := e.(*lang.AttrsLit); ok && !set.Rec {
				return []Edit{setInsert(d.Value.File, data, set, strings.Join(keys[n:], ".")+" = "+value+";")}, nil
			}
		}
		// Dotted bindings through the prefix (`boot.loader… = …;`, or nested
		// `settings.max-jobs = 0;`): add a line after the last of them in
		// that file, with the path written the same way.
		if ds := preferFile(dotted, h.MainFile); len(ds) > 0 {
			last := ds[0]
			at := last.At
			for _, d := range ds {
				for _, l := range []model.Loc{d.At, d.Last} {
					if l.File == at.File && l.EndOffset > at.EndOffset {
						last, at = d, l
					}
				}
			}
			_, data, err := p.ast(at.File)
			if err != nil {
				return nil, err
			}
			st := detectStyle(data)
			path := strings.Join(keys[n-last.Depth:], ".")
			line := st.nl + lineIndent(data, at.Offset) + path + " = " + value + ";"
			end := afterTrailingComment(data, at.EndOffset)
			return []Edit{{File: at.File, Start: end, End: end, New: line}}, nil
		}
	}
	return nil, errNoPlace
}

// insertAtEnd adds the option at the end of the host's main file.
func (p *Planner) insertAtEnd(h *model.Host, option, value string) ([]Edit, error) {
	root, data, err := p.ast(h.MainFile)
	if err != nil {
		return nil, err
	}
	set := moduleSet(root)
	if set == nil {
		return nil, refuse("%s is not a plain module (an attribute set, or a function returning one): add %s = %s; by hand", h.MainFile, option, value)
	}
	return []Edit{setInsert(h.MainFile, data, set, option+" = "+value+";")}, nil
}

// moduleSet finds the attribute set a module file defines its options in.
func moduleSet(e lang.Expr) *lang.AttrsLit {
	for {
		switch x := e.(type) {
		case *lang.Lambda:
			e = x.Body
		case *lang.LetExpr:
			e = x.Body
		case *lang.WithExpr: // { lib, ... }: with lib; { … }
			e = x.Body
		case *lang.AssertExpr:
			e = x.Body
		case *lang.AttrsLit:
			if x.Rec {
				return nil
			}
			for _, b := range x.Binds {
				if len(b.Path) == 1 && b.Path[0].Name == "config" {
					if c, ok := b.Value.(*lang.AttrsLit); ok && !c.Rec {
						return c
					}
					return nil
				}
			}
			return x
		default:
			return nil
		}
	}
}

// setInsert adds a binding at the end of an attribute set literal, indented
// like the bindings already there.
func setInsert(file string, data []byte, set *lang.AttrsLit, binding string) Edit {
	st := detectStyle(data)
	lastEnd := -1
	lastStart := -1
	for _, b := range set.Binds {
		if b.Sp.End > lastEnd {
			lastEnd, lastStart = b.Sp.End, b.Sp.Start
		}
	}
	for _, in := range set.Inherits {
		if in.Sp.End > lastEnd {
			lastEnd, lastStart = in.Sp.End, in.Sp.Start
		}
	}
	if lastEnd >= 0 {
		at := afterTrailingComment(data, lastEnd)
		return Edit{File: file, Start: at, End: at, New: st.nl + lineIndent(data, lastStart) + binding}
	}
	// An empty set: open it up.
	ind := lineIndent(data, set.Open)
	return Edit{File: file, Start: set.Open + 1, End: set.Close, New: st.nl + ind + st.indent + binding + st.nl + ind}
}

// entry edits a field of a build machine entry.
func (p *Planner) entry(h *model.Host, m *model.Machine, f rules.Fix) ([]Edit, error) {
	if m.Text {
		return nil, refuse("build machine %q of %s is a line of a machines text (%s), not a nix.buildMachines entry: change it by hand", m.HostName.V, h.Name, m.At)
	}
	if len(m.Shared) > 0 {
		return nil, refuse("build machine %q of %s is written once for hosts %s (%s): change it by hand", m.HostName.V, h.Name, strings.Join(m.Shared, ", "), m.At)
	}
	d, has := m.Fields[f.Field]
	if has && (d.Computed || d.Conditional) {
		return nil, refuse("build machine %q's %s is computed at %s, not written as a value", m.HostName.V, f.Field, d.At)
	}
	if f.Kind == "entry-set" {
		if !has || d.ValueKind != "literal" {
			return nil, refuse("build machine %q's %s is not written as a plain value", m.HostName.V, f.Field)
		}
		return []Edit{{File: d.Value.File, Start: d.Value.Offset, End: d.Value.EndOffset, New: f.Values[0]}}, nil
	}
	if f.Field == "system" {
		return p.entrySystem(m, d, has, f)
	}
	if !has {
		if f.Kind != "entry-append" {
			return nil, refuse("build machine %q has no %s to change", m.HostName.V, f.Field)
		}
		e, data, err := p.node(m.At)
		if err != nil {
			return nil, err
		}
		set, ok := e.(*lang.AttrsLit)
		if !ok {
			return nil, refuse("build machine %q is not written as an attribute set", m.HostName.V)
		}
		return []Edit{setInsert(m.At.File, data, set, f.Field+" = "+listText(f.Values)+";")}, nil
	}
	e, data, err := p.node(d.Value)
	if err != nil {
		return nil, err
	}
	l, ok := e.(*lang.ListLit)
	if !ok {
		return nil, refuse("build machine %q's %s is not a list literal", m.HostName.V, f.Field)
	}
	switch f.Kind {
	case "entry-append":
		return []Edit{listInsert(d.Value.File, data, l, f.Values)}, nil
	case "entry-remove":
		var edits []Edit
		for _, v := range f.Values {
			ed, ok := listRemove(d.Value.File, data, l, v)
			if !ok {
				return nil, refuse("build machine %q's %s does not list %q literally", m.HostName.V, f.Field, v)
			}
			edits = append(edits, ed)
		}
		return edits, nil
	default: // entry-replace
		for _, el := range l.Elems {
			if strValue(el) == f.Values[0] {
				sp := lang.ExprSpan(el)
				return []Edit{{File: d.Value.File, Start: sp.Start, End: sp.End, New: nixString(f.Values[1])}}, nil
			}
		}
		return nil, refuse("build machine %q's %s does not list %q literally", m.HostName.V, f.Field, f.Values[0])
	}
}

// entrySystem edits `system = "…";`, which wins over systems: adding a
// system turns it into `systems = [ … ];`.
func (p *Planner) entrySystem(m *model.Machine, d model.Def, has bool, f rules.Fix) ([]Edit, error) {
	if !has || d.ValueKind != "string" || m.System.Unknown {
		return nil, refuse("build machine %q's system is not written as a string", m.HostName.V)
	}
	current := strings.Split(m.System.V, ",")
	var next []string
	switch f.Kind {
	case "entry-append":
		next = append(next, current...)
		next = append(next, f.Values...)
	case "entry-to-systems":
		if has && d.PathLen == 1 {
			return []Edit{{File: d.At.File, Start: d.At.Offset, End: d.At.EndOffset, New: "systems = " + listText(current) + ";"}}, nil
		}
		return nil, refuse("build machine %q's system is written in a way the fixer does not rewrite", m.HostName.V)
	case "entry-remove":
		for _, s := range current {
			if s != f.Values[0] {
				next = append(next, s)
			}
		}
		if len(next) == 0 {
			return nil, refuse("build machine %q has no other system: remove the entry or change its system by hand", m.HostName.V)
		}
	default:
		for _, s := range current {
			if s == f.Values[0] {
				s = f.Values[1]
			}
			next = append(next, s)
		}
	}
	if len(next) == 1 {
		return []Edit{{File: d.Value.File, Start: d.Value.Offset, End: d.Value.EndOffset, New: nixString(next[0])}}, nil
	}
	if has && d.PathLen == 1 {
		return []Edit{{File: d.At.File, Start: d.At.Offset, End: d.At.EndOffset, New: "systems = " + listText(next) + ";"}}, nil
	}
	return nil, refuse("build machine %q's system is written in a way the fixer does not rewrite", m.HostName.V)
}

// preferFile puts the definitions in file first.
func preferFile(ds []model.Def, file string) []model.Def {
	var first, rest []model.Def
	for _, d := range ds {
		if d.At.File == file {
			first = append(first, d)
		} else {
			rest = append(rest, d)
		}
	}
	return append(first, rest...)
}

// afterTrailingComment moves an insertion point at the end of a binding
// past a comment that ends its line (`stateVersion = "22.11"; # Did you
// read the comment?`), so the comment stays with its line.
func afterTrailingComment(data []byte, off int) int {
	i := off
	for i < len(data) && (data[i] == ' ' || data[i] == '\t') {
		i++
	}
	if i >= len(data) || data[i] != '#' {
		return off
	}
	for i < len(data) && data[i] != '\n' && data[i] != '\r' {
		i++
	}
	return i
}
