package lang

import (
	"fmt"
	"strings"
)

// Nix resolves variables while parsing: a variable bound nowhere (and not
// under a `with`) is an error before anything is evaluated. The reader
// does the same, so it accepts exactly the files Nix accepts.

var globalNames = map[string]bool{
	"abort": true, "baseNameOf": true, "break": true, "builtins": true, "derivation": true,
	"derivationStrict": true, "dirOf": true, "false": true, "fetchGit": true, "fetchMercurial": true,
	"fetchTarball": true, "fetchTree": true, "fromTOML": true, "import": true, "isNull": true,
	"map": true, "null": true, "placeholder": true, "removeAttrs": true, "scopedImport": true,
	"throw": true, "toString": true, "true": true,
}

type scope struct {
	names  map[string]bool
	with   bool
	parent *scope
}

func (s *scope) defined(name string) bool {
	if globalNames[name] || strings.HasPrefix(name, "__") {
		return true
	}
	for x := s; x != nil; x = x.parent {
		if x.with || x.names[name] {
			return true
		}
	}
	return false
}

func bindNames(binds []*Binding, inherits []*Inherit) map[string]bool {
	names := map[string]bool{}
	for _, b := range binds {
		if b.Path[0].Dyn == nil {
			names[b.Path[0].Name] = true
		}
	}
	for _, in := range inherits {
		for _, k := range in.Names {
			if k.Dyn == nil {
				names[k.Name] = true
			}
		}
	}
	return names
}

// checkScope reports the first variable that is bound nowhere.
func checkScope(e Expr, s *scope) error {
	var err error
	var visit func(e Expr, s *scope)
	visitBinds := func(binds []*Binding, inherits []*Inherit, inner, outer *scope) {
		for _, b := range binds {
			for _, k := range b.Path {
				if k.Dyn != nil {
					// Nix binds a rec set's dynamic names (and those of its
					// nested paths, s.${d}) in the set's own scope.
					visit(k.Dyn, inner)
				}
			}
			visit(b.Value, inner)
		}
		for _, in := range inherits {
			if in.From != nil {
				visit(in.From, inner)
				continue
			}
			for _, k := range in.Names {
				if k.Dyn == nil && !outer.defined(k.Name) && err == nil {
					err = &SyntaxError{Src: k.Sp.Src, Offset: k.Sp.Start, Message: fmt.Sprintf("undefined variable '%s'", k.Name), Scope: true}
				}
			}
		}
	}
	visit = func(e Expr, s *scope) {
		if e == nil || err != nil {
			return
		}
		switch x := e.(type) {
		case *Ident:
			if !s.defined(x.Name) {
				err = &SyntaxError{Src: x.Sp.Src, Offset: x.Sp.Start, Message: fmt.Sprintf("undefined variable '%s'", x.Name), Scope: true}
			}
		case *AttrsLit:
			if x.Rec {
				inner := &scope{names: bindNames(x.Binds, x.Inherits), parent: s}
				visitBinds(x.Binds, x.Inherits, inner, s)
			} else {
				visitBinds(x.Binds, x.Inherits, s, s)
			}
		case *LetExpr:
			inner := &scope{names: bindNames(x.Binds, x.Inherits), parent: s}
			visitBinds(x.Binds, x.Inherits, inner, inner)
			visit(x.Body, inner)
		case *WithExpr:
			visit(x.Env, s)
			visit(x.Body, &scope{with: true, parent: s})
		case *Lambda:
			inner := &scope{names: map[string]bool{}, parent: s}
			if x.Param != "" {
				inner.names[x.Param] = true
			}
			for _, f := range x.Formals {
				inner.names[f.Name] = true
			}
			for _, f := range x.Formals {
				visit(f.Default, inner)
			}
			visit(x.Body, inner)
		case *Select:
			visit(x.X, s)
			for _, k := range x.Path {
				visit(k.Dyn, s)
			}
			visit(x.Default, s)
		case *HasAttr:
			visit(x.X, s)
			for _, k := range x.Path {
				visit(k.Dyn, s)
			}
		default:
			Walk(e, func(sub Expr) bool {
				if sub == e {
					return true
				}
				visit(sub, s)
				return false
			})
		}
	}
	visit(e, s)
	return err
}
