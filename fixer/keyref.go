package fixer

import (
	"regexp"
	"strings"

	"github.com/nixbuild-lint/nixbuild-lint/model"
	"github.com/nixbuild-lint/nixbuild-lint/nixeval/lang"
	"github.com/nixbuild-lint/nixbuild-lint/rules"
)

// appendKey adds a public key to an authorized keys list. When the list
// names keys of a shared set (keys.hosts.ci, or ci under `with keys;`)
// and the key is written in that set, the fix adds the reference to its
// binding (keys.hosts.pi); otherwise the key itself.
func (p *Planner) appendKey(h *model.Host, f rules.Fix) ([]Edit, error) {
	ws, err := p.winners(h, f.Option)
	if err != nil {
		return nil, err
	}
	if len(ws) != 1 {
		return p.appendOption(h, f.Option, f.Values)
	}
	d, l, data, err := p.optionList(h, f.Option)
	if err != nil {
		return nil, err
	}
	if ref := p.keyRef(l, data, f); ref != "" {
		return []Edit{listInsertAs(d.Value.File, data, l, []string{ref}, func(s string) string { return s })}, nil
	}
	return []Edit{listInsert(d.Value.File, data, l, f.Values)}, nil
}

var nixIdent = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_'-]*$`)

// keyRef is the reference to the new key written as the list's elements
// refer to keys of the same file, or "".
func (p *Planner) keyRef(l *lang.ListLit, data []byte, f rules.Fix) string {
	if len(f.Items) != len(l.Elems) {
		return ""
	}
	keyPath, ok := p.bindingPath(f.KeyAt)
	if !ok {
		return ""
	}
	for i, el := range l.Elems {
		parts := refParts(el)
		if len(parts) == 0 || f.Items[i].File != f.KeyAt.File {
			continue
		}
		itemPath, ok := p.bindingPath(f.Items[i])
		if !ok || itemPath[len(itemPath)-1] != parts[len(parts)-1] {
			continue
		}
		// The element is prefix.<name> and its key is written at
		// q.<name> of the file: prefix denotes the set at q, so the new
		// key at q.<rest> is prefix.<rest>.
		prefix, q := parts[:len(parts)-1], itemPath[:len(itemPath)-1]
		if len(keyPath) <= len(q) || strings.Join(keyPath[:len(q)], "\x00") != strings.Join(q, "\x00") {
			continue
		}
		rest := keyPath[len(q):]
		for _, r := range rest {
			if !nixIdent.MatchString(r) || r == "or" {
				return ""
			}
		}
		if len(prefix) == 0 {
			// A name taken from a `with`: no other binding of the file
			// may give that name (a let or an argument would shadow it).
			if regexp.MustCompile(`(^|[^A-Za-z0-9_'-])` + regexp.QuoteMeta(rest[0]) + `($|[^A-Za-z0-9_'-])`).Match(data) {
				return ""
			}
		}
		return strings.Join(append(append([]string(nil), prefix...), rest...), ".")
	}
	return ""
}

// refParts is a.b.c of an element written as a variable or a selection of
// static names from one, else nil.
func refParts(e lang.Expr) []string {
	switch x := e.(type) {
	case *lang.Ident:
		return []string{x.Name}
	case *lang.Select:
		id, ok := x.X.(*lang.Ident)
		if !ok || x.Default != nil {
			return nil
		}
		out := []string{id.Name}
		for _, k := range x.Path {
			if k.Dyn != nil {
				return nil
			}
			out = append(out, k.Name)
		}
		return out
	}
	return nil
}

// bindingPath is the attribute path, from the file's top set, of the
// binding whose value is written exactly at l.
func (p *Planner) bindingPath(l model.Loc) ([]string, bool) {
	if !l.Known() || l.EndOffset <= l.Offset {
		return nil, false
	}
	root, _, err := p.ast(l.File)
	if err != nil {
		return nil, false
	}
	var walk func(e lang.Expr, path []string) ([]string, bool)
	walk = func(e lang.Expr, path []string) ([]string, bool) {
		switch x := e.(type) {
		case *lang.LetExpr:
			return walk(x.Body, path)
		case *lang.Lambda:
			return walk(x.Body, path)
		case *lang.AttrsLit:
			for _, b := range x.Binds {
				sp := lang.ExprSpan(b.Value)
				if sp.Start > l.Offset || sp.End < l.EndOffset {
					continue
				}
				p := append([]string(nil), path...)
				for _, k := range b.Path {
					if k.Dyn != nil {
						return nil, false
					}
					p = append(p, k.Name)
				}
				if sp.Start == l.Offset && sp.End == l.EndOffset {
					return p, true
				}
				return walk(b.Value, p)
			}
		}
		return nil, false
	}
	return walk(root, nil)
}
