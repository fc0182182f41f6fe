package fixer

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/nixbuild-lint/nixbuild-lint/internal/treefs"
	"github.com/nixbuild-lint/nixbuild-lint/model"
	"github.com/nixbuild-lint/nixbuild-lint/nixeval/lang"
	"github.com/nixbuild-lint/nixbuild-lint/rules"
)

// nixosDefaultPriority is the priority of NixOS's own definition of the
// options the fixer edits (100 for a definition NixOS merges with the
// user's, 1000 for mkDefault, 1500 for an option default).
var nixosDefaultPriority = map[string]int{
	"boot.binfmt.emulatedSystems":  1500,
	"nix.distributedBuilds":        1500,
	"nix.settings.trusted-users":   100,
	"nix.settings.system-features": 1000,
	"services.openssh.enable":      1500,
}

// Planner turns fixes into edits against the files as the fleet was read.
type Planner struct {
	Root    string
	Fleet   *model.Fleet
	Overlay map[string][]byte // absolute path -> contents, as in nixeval.Reader
	files   map[string][]byte
	asts    map[string]lang.Expr
}

// NewPlanner prepares a planner for a fleet read from root.
func NewPlanner(root string, f *model.Fleet, overlay map[string][]byte) *Planner {
	return &Planner{Root: root, Fleet: f, Overlay: overlay, files: map[string][]byte{}, asts: map[string]lang.Expr{}}
}

func (p *Planner) abs(rel string) string { return filepath.Join(p.Root, filepath.FromSlash(rel)) }

func (p *Planner) content(rel string) ([]byte, error) {
	if d, ok := p.files[rel]; ok {
		return d, nil
	}
	// The bytes the fleet's positions refer to, when the reader kept them.
	d, ok := p.Overlay[p.abs(rel)]
	if !ok {
		d, ok = p.Fleet.Contents[rel]
	}
	if !ok {
		var err error
		if d, err = treefs.ReadRegular(p.abs(rel), treefs.MaxNixFile); err != nil {
			return nil, err
		}
	}
	p.files[rel] = d
	return d, nil
}

func (p *Planner) ast(rel string) (lang.Expr, []byte, error) {
	data, err := p.content(rel)
	if err != nil {
		return nil, nil, err
	}
	if e, ok := p.asts[rel]; ok {
		return e, data, nil
	}
	e, err := lang.ParseSource(lang.NewSource(p.abs(rel), rel, data))
	if err != nil {
		return nil, nil, err
	}
	p.asts[rel] = e
	return e, data, nil
}

// node finds the expression written at a location.
func (p *Planner) node(l model.Loc) (lang.Expr, []byte, error) {
	if !l.Known() {
		return nil, nil, refuse("the value is not written in a file")
	}
	root, data, err := p.ast(l.File)
	if err != nil {
		return nil, nil, err
	}
	e := lang.FindExact(root, l.Offset, l.EndOffset)
	if e == nil {
		return nil, nil, refuse("%s is not a plain value", l)
	}
	return e, data, nil
}

func (p *Planner) host(name string) *model.Host {
	for _, h := range p.Fleet.Hosts {
		if h.Name == name {
			return h
		}
	}
	return nil
}

// Plan turns one fix into edits, or says why it cannot.
func (p *Planner) Plan(f rules.Fix) ([]Edit, error) {
	h := p.host(f.Host)
	if h == nil {
		return nil, refuse("no host %s", f.Host)
	}
	switch f.Kind {
	case "append":
		if f.KeyAt.Known() {
			return p.appendKey(h, f)
		}
		return p.appendOption(h, f.Option, f.Values)
	case "set":
		return p.setOption(h, f.Option, f.Values[0])
	case "replace":
		return p.replaceInOption(h, f.Option, f.Values[0], f.Values[1])
	case "remove":
		return p.removeFromOption(h, f.Option, f.Values)
	case "rename":
		return p.renameOption(h, f.Option, f.Values[0])
	case "entry-append", "entry-remove", "entry-replace", "entry-set", "entry-to-systems":
		if f.Entry < 0 || f.Entry >= len(h.Machines.Entries) {
			return nil, refuse("no build machine entry %d on %s", f.Entry, h.Name)
		}
		return p.entry(h, h.Machines.Entries[f.Entry], f)
	}
	return nil, refuse("unknown fix kind %s", f.Kind)
}

// winners are the definitions of an option that take effect.
func (p *Planner) winners(h *model.Host, option string) ([]model.Def, error) {
	defs := h.Defs[option]
	if len(defs) == 0 {
		return nil, nil
	}
	best := defs[0].Priority
	for _, d := range defs {
		best = min(best, d.Priority)
	}
	if dp, ok := nixosDefaultPriority[option]; ok && best > dp {
		return nil, refuse("%s on %s is defined at priority %d (%s), below NixOS's own definition: an edit there would not take effect", option, h.Name, best, defs[0].At)
	}
	var out []model.Def
	for _, d := range defs {
		if d.Priority == best {
			out = append(out, d)
		}
	}
	return out, nil
}

// editable picks a winning definition that can be edited in place.
func editable(h *model.Host, option string, ws []model.Def) (model.Def, error) {
	var why []string
	for _, d := range ws {
		switch {
		case len(d.SharedBy) > 0:
			why = append(why, fmt.Sprintf("%s is shared by hosts %s", d.At, strings.Join(d.SharedBy, ", ")))
		case d.Conditional:
			why = append(why, fmt.Sprintf("%s is under a condition the reader cannot decide", d.At))
		case d.Computed:
			why = append(why, fmt.Sprintf("%s is computed, not written as a value", d.At))
		default:
			return d, nil
		}
	}
	return model.Def{}, refuse("cannot edit %s on %s: %s", option, h.Name, strings.Join(why, "; "))
}

func (p *Planner) appendOption(h *model.Host, option string, values []string) ([]Edit, error) {
	ws, err := p.winners(h, option)
	if err != nil {
		return nil, err
	}
	if len(ws) == 0 {
		return p.insertOption(h, option, listText(values))
	}
	d, l, data, err := p.optionList(h, option)
	if err != nil {
		return nil, err
	}
	return []Edit{listInsert(d.Value.File, data, l, values)}, nil
}

// renameOption writes every definition of option under another name of
// the same set (nix.settings.system-features → extra-system-features): the
// last name of each binding is replaced, the value kept.
func (p *Planner) renameOption(h *model.Host, option, name string) ([]Edit, error) {
	defs := h.Defs[option]
	if len(defs) == 0 {
		return nil, refuse("%s is not written on %s", option, h.Name)
	}
	old := option[strings.LastIndexByte(option, '.')+1:]
	var edits []Edit
	for _, d := range defs {
		if len(d.SharedBy) > 0 {
			return nil, refuse("cannot rename %s on %s: %s is shared by hosts %s", option, h.Name, d.At, strings.Join(d.SharedBy, ", "))
		}
		if !d.Key.Known() || d.Depth != d.PathLen {
			return nil, refuse("cannot rename %s on %s: %s does not name it as the last attribute of its binding", option, h.Name, d.At)
		}
		data, err := p.content(d.Key.File)
		if err != nil {
			return nil, err
		}
		if d.Key.EndOffset > len(data) || d.Key.Offset >= d.Key.EndOffset {
			return nil, refuse("cannot rename %s on %s: %s is out of the file", option, h.Name, d.Key)
		}
		text := string(data[d.Key.Offset:d.Key.EndOffset])
		switch text {
		case old:
			edits = append(edits, Edit{File: d.Key.File, Start: d.Key.Offset, End: d.Key.EndOffset, New: name})
		case `"` + old + `"`:
			edits = append(edits, Edit{File: d.Key.File, Start: d.Key.Offset, End: d.Key.EndOffset, New: `"` + name + `"`})
		default:
			return nil, refuse("cannot rename %s on %s: %s names it as %s", option, h.Name, d.Key, text)
		}
	}
	return edits, nil
}

func (p *Planner) setOption(h *model.Host, option, value string) ([]Edit, error) {
	ws, err := p.winners(h, option)
	if err != nil {
		return nil, err
	}
	if len(ws) == 0 {
		return p.insertOption(h, option, value)
	}
	var edits []Edit
	for _, w := range ws {
		d, err := editable(h, option, []model.Def{w})
		if err != nil {
			return nil, err
		}
		edits = append(edits, Edit{File: d.Value.File, Start: d.Value.Offset, End: d.Value.EndOffset, New: value})
	}
	return edits, nil
}

// optionList finds the list literal of the winning, editable definition
// of a list option.
func (p *Planner) optionList(h *model.Host, option string) (model.Def, *lang.ListLit, []byte, error) {
	ws, err := p.winners(h, option)
	if err != nil {
		return model.Def{}, nil, nil, err
	}
	d, err := editable(h, option, ws)
	if err != nil {
		return model.Def{}, nil, nil, err
	}
	e, data, err := p.node(d.Value)
	if err != nil {
		return model.Def{}, nil, nil, err
	}
	if w, ok := e.(*lang.WithExpr); ok {
		e = w.Body // with keys; [ … ]: the list is the body
	}
	l, ok := e.(*lang.ListLit)
	if !ok {
		return model.Def{}, nil, nil, refuse("%s on %s is not a list literal at %s", option, h.Name, d.Value)
	}
	return d, l, data, nil
}

func (p *Planner) replaceInOption(h *model.Host, option, old, repl string) ([]Edit, error) {
	d, l, _, err := p.optionList(h, option)
	if err != nil {
		return nil, err
	}
	for _, el := range l.Elems {
		if strValue(el) == old {
			sp := lang.ExprSpan(el)
			return []Edit{{File: d.Value.File, Start: sp.Start, End: sp.End, New: nixString(repl)}}, nil
		}
	}
	return nil, refuse("%s on %s does not list %q literally", option, h.Name, old)
}

func (p *Planner) removeFromOption(h *model.Host, option string, values []string) ([]Edit, error) {
	d, l, data, err := p.optionList(h, option)
	if err != nil {
		return nil, err
	}
	var edits []Edit
	for _, v := range values {
		ed, ok := listRemove(d.Value.File, data, l, v)
		if !ok {
			return nil, refuse("%s on %s does not list %q literally", option, h.Name, v)
		}
		edits = append(edits, ed)
	}
	return edits, nil
}

func strValue(e lang.Expr) string {
	s, ok := e.(*lang.StrLit)
	if !ok || len(s.Parts) != 1 || s.Parts[0].Expr != nil {
		if ok && len(s.Parts) == 0 {
			return ""
		}
		return "\x00not a literal"
	}
	return s.Parts[0].Lit
}

func listText(values []string) string {
	parts := make([]string, len(values))
	for i, v := range values {
		parts[i] = nixString(v)
	}
	return "[ " + strings.Join(parts, " ") + " ]"
}

// listInsert adds values at the end of a list literal, in its layout.
func listInsert(file string, data []byte, l *lang.ListLit, values []string) Edit {
	return listInsertAs(file, data, l, values, nixString)
}

// listInsertAs is listInsert with each value written by text.
func listInsertAs(file string, data []byte, l *lang.ListLit, values []string, nixString func(string) string) Edit {
	sp := lang.ExprSpan(l)
	if len(l.Elems) == 0 {
		inner := string(data[sp.Start+1 : sp.End-1])
		if strings.TrimSpace(inner) != "" {
			// A comment in the empty list stays: the values go in after "[".
			parts := make([]string, len(values))
			for i, v := range values {
				parts[i] = nixString(v)
			}
			return Edit{File: file, Start: sp.Start + 1, End: sp.Start + 1, New: " " + strings.Join(parts, " ")}
		}
		parts := make([]string, len(values))
		for i, v := range values {
			parts[i] = nixString(v)
		}
		return Edit{File: file, Start: sp.Start, End: sp.End, New: "[ " + strings.Join(parts, " ") + " ]"}
	}
	last := lang.ExprSpan(l.Elems[len(l.Elems)-1])
	var b strings.Builder
	multiline := strings.Contains(string(data[sp.Start:sp.End]), "\n")
	st := detectStyle(data)
	for _, v := range values {
		if multiline && onOwnLine(data, lang.ExprSpan(l.Elems[len(l.Elems)-1]).Start, last.End) {
			b.WriteString(st.nl + lineIndent(data, last.Start) + nixString(v))
		} else {
			b.WriteString(" " + nixString(v))
		}
	}
	return Edit{File: file, Start: last.End, End: last.End, New: b.String()}
}

// listRemove removes the element with value v from a list literal.
func listRemove(file string, data []byte, l *lang.ListLit, v string) (Edit, bool) {
	for i, el := range l.Elems {
		if strValue(el) != v {
			continue
		}
		sp := lang.ExprSpan(el)
		if len(l.Elems) == 1 {
			ls := lang.ExprSpan(l)
			rest := string(data[ls.Start+1:sp.Start]) + string(data[sp.End:ls.End-1])
			if strings.TrimSpace(rest) == "" {
				return Edit{File: file, Start: ls.Start, End: ls.End, New: "[ ]"}, true
			}
			// Comments in the list stay; the element goes.
			if onOwnLine(data, sp.Start, sp.End) {
				return Edit{File: file, Start: lineStart(data, sp.Start), End: lineEnd(data, sp.End)}, true
			}
			return Edit{File: file, Start: sp.Start, End: sp.End}, true
		}
		if onOwnLine(data, sp.Start, sp.End) {
			return Edit{File: file, Start: lineStart(data, sp.Start), End: lineEnd(data, sp.End)}, true
		}
		if i > 0 {
			prev := lang.ExprSpan(l.Elems[i-1])
			return Edit{File: file, Start: prev.End, End: sp.End}, true
		}
		next := lang.ExprSpan(l.Elems[i+1])
		return Edit{File: file, Start: sp.Start, End: next.Start}, true
	}
	return Edit{}, false
}

// LineCols converts an edit's byte range into 1-based lines and columns of
// the file as it was read.
func (p *Planner) LineCols(e Edit) (sl, sc, el, ec int, ok bool) {
	data, err := p.content(e.File)
	if err != nil {
		return 0, 0, 0, 0, false
	}
	src := lang.NewSource(p.abs(e.File), e.File, data)
	sl, sc = src.LineCol(e.Start)
	el, ec = src.LineCol(e.End)
	return sl, sc, el, ec, true
}
