// Package lang is the Nix language as the static reader knows it: go-nix's
// parser turned into this package's syntax tree (with byte offsets), the
// values, a lazy evaluator that never fails (what it cannot know becomes
// Unknown, with the reason), and the builtins. It knows nothing of NixOS:
// the module system and the flake frameworks are in package nixeval.
package lang

// The evaluator works on this small AST rather than on go-nix's token-indexed
// nodes: every node carries its byte span, strings are unescaped, and paths
// with interpolation (which go-nix cannot lex) are represented like any other.

// Expr is a Nix expression.
type Expr interface{ Span() Span }

type node struct{ Sp Span }

func (n *node) Span() Span { return n.Sp }

// Ident is a variable reference.
type Ident struct {
	node
	Name string
}

// IntLit is an integer literal.
type IntLit struct {
	node
	V int64
}

// FloatLit is a float literal.
type FloatLit struct {
	node
	V float64
}

// StrPart is a literal piece or an interpolation of a string or path.
type StrPart struct {
	Lit  string
	Expr Expr // non-nil for ${...}
}

// StrLit is a (possibly interpolated) string.
type StrLit struct {
	node
	Parts []StrPart
}

// PathLit is a path literal; Parts hold the raw text with interpolations.
type PathLit struct {
	node
	Parts []StrPart
	// Resolved is, for a relative literal without interpolation, its path
	// joined to its file's directory once at parse time (a shared module's
	// ./x.nix is evaluated once a host).
	Resolved string
}

// ListLit is [ a b c ].
type ListLit struct {
	node
	Elems []Expr
}

// AttrKey is one element of an attribute path: a static name or ${expr}.
type AttrKey struct {
	Name string
	Dyn  Expr
	Sp   Span
}

// Binding is `a.b.c = value;`.
type Binding struct {
	Sp    Span // whole binding including the semicolon
	Path  []AttrKey
	Value Expr
}

// Inherit is `inherit a b;` or `inherit (from) a b;`.
type Inherit struct {
	Sp    Span
	From  Expr
	Names []AttrKey
}

// AttrsLit is { ... } or rec { ... }.
type AttrsLit struct {
	node
	Rec      bool
	Binds    []*Binding
	Inherits []*Inherit
	Open     int // offset of '{'
	Close    int // offset of '}'
}

// LetExpr is let ... in body.
type LetExpr struct {
	node
	Binds    []*Binding
	Inherits []*Inherit
	Body     Expr
}

// WithExpr is with env; body.
type WithExpr struct {
	node
	Env, Body Expr
}

// IfExpr is if c then a else b.
type IfExpr struct {
	node
	Cond, Then, Else Expr
}

// AssertExpr is assert c; body.
type AssertExpr struct {
	node
	Cond, Body Expr
}

// Formal is one `name ? default` of a function's argument set.
type Formal struct {
	Name    string
	Default Expr
}

// Lambda is a function: x: body, { a, b ? 1, ... }: body, or args@{...}: body.
type Lambda struct {
	node
	Param    string // "" when only formals
	Formals  []Formal
	HasSet   bool
	Ellipsis bool
	Body     Expr
}

// Apply is f x.
type Apply struct {
	node
	Fn, Arg Expr
}

// Select is e.a.b or e.a.b or default.
type Select struct {
	node
	X       Expr
	Path    []AttrKey
	Default Expr
}

// HasAttr is e ? a.b.
type HasAttr struct {
	node
	X    Expr
	Path []AttrKey
}

// BinOp is a binary operator application.
type BinOp struct {
	node
	Op   string
	L, R Expr
}

// UnOp is - or !.
type UnOp struct {
	node
	Op string
	X  Expr
}

// ExprSpan is where an expression is written.
func ExprSpan(e Expr) Span { return e.Span() }

// FindExact returns the expression written exactly at [start, end), if any.
func FindExact(root Expr, start, end int) Expr {
	var found Expr
	Walk(root, func(e Expr) bool {
		sp := e.Span()
		if found != nil || sp.End < start || sp.Start > end {
			return false
		}
		if sp.Start == start && sp.End == end {
			found = e
			return false
		}
		return true
	})
	return found
}

// Walk visits e and its subexpressions, depth first, while fn returns true.
func Walk(e Expr, fn func(Expr) bool) {
	if e == nil || !fn(e) {
		return
	}
	binds := func(bs []*Binding, ins []*Inherit) {
		for _, b := range bs {
			for _, k := range b.Path {
				Walk(k.Dyn, fn)
			}
			Walk(b.Value, fn)
		}
		for _, in := range ins {
			Walk(in.From, fn)
		}
	}
	switch x := e.(type) {
	case *StrLit:
		for _, p := range x.Parts {
			Walk(p.Expr, fn)
		}
	case *PathLit:
		for _, p := range x.Parts {
			Walk(p.Expr, fn)
		}
	case *ListLit:
		for _, el := range x.Elems {
			Walk(el, fn)
		}
	case *AttrsLit:
		binds(x.Binds, x.Inherits)
	case *LetExpr:
		binds(x.Binds, x.Inherits)
		Walk(x.Body, fn)
	case *WithExpr:
		Walk(x.Env, fn)
		Walk(x.Body, fn)
	case *IfExpr:
		Walk(x.Cond, fn)
		Walk(x.Then, fn)
		Walk(x.Else, fn)
	case *AssertExpr:
		Walk(x.Cond, fn)
		Walk(x.Body, fn)
	case *Lambda:
		for _, f := range x.Formals {
			Walk(f.Default, fn)
		}
		Walk(x.Body, fn)
	case *Apply:
		Walk(x.Fn, fn)
		Walk(x.Arg, fn)
	case *Select:
		Walk(x.X, fn)
		Walk(x.Default, fn)
	case *HasAttr:
		Walk(x.X, fn)
	case *BinOp:
		Walk(x.L, fn)
		Walk(x.R, fn)
	case *UnOp:
		Walk(x.X, fn)
	}
}
