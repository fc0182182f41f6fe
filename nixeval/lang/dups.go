package lang

import "fmt"

// Nix rejects an attribute defined twice while parsing ("attribute 'boot'
// already defined at …"); `a.b = 1; a.c = 2;` and `a = { b = 1; }; a.c = 2;`
// are not duplicates. The converter checks the same, so the reader refuses
// what Nix refuses and a fix can never introduce such a clash unnoticed.

type keyNode struct {
	at       Span
	leaf     bool // defined by a value that is not an attribute set literal
	children map[string]*keyNode
}

func checkDuplicates(binds []*Binding, inherits []*Inherit) error {
	if distinctFirstNames(binds, inherits) {
		// Each binding alone cannot clash: the set literals below it were
		// checked when they were converted.
		return nil
	}
	root := map[string]*keyNode{}
	for _, in := range inherits {
		for _, k := range in.Names {
			if k.Dyn != nil {
				continue
			}
			if prev, ok := root[k.Name]; ok {
				return dupError(k.Name, k.Sp, prev.at)
			}
			root[k.Name] = &keyNode{at: k.Sp, leaf: true}
		}
	}
	for _, b := range binds {
		if err := insertKey(root, b.Path, b.Value); err != nil {
			return err
		}
	}
	return nil
}

// distinctFirstNames reports whether no two bindings or inherited names
// start with the same (static) name; most sets are written so, and need no
// tree of their keys then.
func distinctFirstNames(binds []*Binding, inherits []*Inherit) bool {
	n := len(binds)
	for _, in := range inherits {
		n += len(in.Names)
	}
	if n > 16 {
		seen := make(map[string]struct{}, n)
		for name := range firstNames(binds, inherits) {
			if _, dup := seen[name]; dup {
				return false
			}
			seen[name] = struct{}{}
		}
		return true
	}
	var buf [16]string
	names := buf[:0]
	for name := range firstNames(binds, inherits) {
		for _, o := range names {
			if o == name {
				return false
			}
		}
		names = append(names, name)
	}
	return true
}

// firstNames yields the static first names of the bindings and inherits.
func firstNames(binds []*Binding, inherits []*Inherit) func(func(string) bool) {
	return func(yield func(string) bool) {
		for _, in := range inherits {
			for _, k := range in.Names {
				if k.Dyn == nil && !yield(k.Name) {
					return
				}
			}
		}
		for _, b := range binds {
			if k := b.Path[0]; k.Dyn == nil && !yield(k.Name) {
				return
			}
		}
	}
}

func insertKey(level map[string]*keyNode, path []AttrKey, value Expr) error {
	k := path[0]
	if k.Dyn != nil {
		return nil // names computed at run time are checked by Nix then
	}
	cur, exists := level[k.Name]
	lit, isLit := value.(*AttrsLit)
	if len(path) == 1 {
		if !exists {
			// A rec set merges with other bindings of its name too (Nix
			// accepts { a = rec { x = 1; }; a.y = 2; }).
			n := &keyNode{at: k.Sp, leaf: !isLit}
			level[k.Name] = n
			if isLit {
				n.children = map[string]*keyNode{}
				return addLiteral(n, lit)
			}
			return nil
		}
		if cur.leaf || !isLit {
			return dupError(k.Name, k.Sp, cur.at)
		}
		return addLiteral(cur, lit)
	}
	if !exists {
		cur = &keyNode{at: k.Sp, children: map[string]*keyNode{}}
		level[k.Name] = cur
	} else if cur.leaf {
		return dupError(k.Name, k.Sp, cur.at)
	}
	return insertKey(cur.children, path[1:], value)
}

func addLiteral(n *keyNode, lit *AttrsLit) error {
	for _, in := range lit.Inherits {
		for _, k := range in.Names {
			if k.Dyn != nil {
				continue
			}
			if prev, ok := n.children[k.Name]; ok {
				return dupError(k.Name, k.Sp, prev.at)
			}
			n.children[k.Name] = &keyNode{at: k.Sp, leaf: true}
		}
	}
	for _, b := range lit.Binds {
		if err := insertKey(n.children, b.Path, b.Value); err != nil {
			return err
		}
	}
	return nil
}

func dupError(name string, at, prev Span) error {
	l, c := prev.Src.LineCol(prev.Start)
	return &SyntaxError{Src: at.Src, Offset: at.Start, Message: fmt.Sprintf("attribute '%s' already defined at %s:%d:%d", name, prev.Src.Rel, l, c)}
}
