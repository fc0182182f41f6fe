package lang

import (
	"fmt"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"unsafe"

	"github.com/orivej/go-nix/nix/parser"
)

// SyntaxError is a parse failure with the file and line the user must open.
type SyntaxError struct {
	Src     *Source
	Offset  int
	Message string
	// Scope marks an undefined variable: Nix reports it when the file is
	// evaluated, so it stops only the hosts that import the file.
	Scope bool
}

func (e *SyntaxError) Error() string {
	l, c := e.Src.LineCol(e.Offset)
	return fmt.Sprintf("%s:%d:%d: syntax error: %s", e.Src.Rel, l, c, e.Message)
}

// pathPiece is a path literal with interpolation that was replaced by a
// placeholder identifier of the same length before go-nix saw the text.
type pathPiece struct {
	start, end int
	parts      []rawPart
}

type rawPart struct {
	lit        string
	start, end int // for an interpolation: the expression's byte range
	isExpr     bool
}

// ParseSource parses a whole file and resolves its variables, as Nix does
// before evaluating anything.
func ParseSource(src *Source) (Expr, error) {
	e, err := ParseRange(src, 0, len(src.Data))
	if err != nil {
		return nil, err
	}
	if err := checkScope(e, nil); err != nil {
		return nil, err
	}
	return e, nil
}

// ParseRange parses src.Data[start:end] as one expression; spans stay
// relative to the whole file.
func ParseRange(src *Source, start, end int) (e Expr, err error) {
	text := make([]byte, end-start)
	copy(text, src.Data[start:end])
	pieces, pipes, err := rewritePaths(text, src, start)
	// Offsets in pieces and pipes are relative to text.
	if err != nil {
		return nil, err
	}
	if len(text) > maxParseText {
		return nil, &SyntaxError{Src: src, Offset: start, Message: "too large to parse (more than 2 GiB)"}
	}
	if isBlank(text) {
		return nil, &SyntaxError{Src: src, Offset: start, Message: "no expression (the file is empty)"}
	}
	defer func() {
		if r := recover(); r != nil {
			e, err = nil, &SyntaxError{Src: src, Offset: start, Message: fmt.Sprintf("the parser failed on this file (%v)", r)}
		}
	}()
	p, perr := parser.ParseString(string(text))
	if perr != nil {
		return nil, syntaxErrorFrom(src, start, text, perr.Error())
	}
	if p.Result == nil {
		return nil, &SyntaxError{Src: src, Offset: start, Message: "empty file"}
	}
	c := &converter{src: src, base: start, p: p, pieces: pieces, pipes: pipes}
	c.offsets = tokenOffsets(p)
	if err := c.measure(p.Result); err != nil {
		return nil, err
	}
	return c.expr(p.Result)
}

var (
	errAtOffset   = regexp.MustCompile(`^\(string\): (\d+)-\d+:(.*?): (?:syntax error: )?(.*)$`)
	errUnbalanced = regexp.MustCompile(`^\[\(string\):\d+:\d+: ('.') (\d+)-\d+:('.')\] does not close`)
	errAtLineCol  = regexp.MustCompile(`^\[?\(string\):(\d+):(\d+): (.*)$`)
)

// syntaxErrorFrom turns go-nix's messages ("(string): 8-10:interp: syntax
// error: ...", "(string):1:1: '{' is not terminated", "[(string):1:3: '}']
// does not close anything") into a positioned error in Nix's words.
func syntaxErrorFrom(src *Source, base int, text []byte, msg string) error {
	if i := strings.Index(msg, "; "); i >= 0 {
		msg = msg[:i]
	}
	if m := errAtOffset.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		return &SyntaxError{Src: src, Offset: base + n, Message: nixWords(m[3])}
	}
	// go-nix: "[(string):4:3: '}' 42-43:'[' does not close %!v(MISSING)]"
	if m := errUnbalanced.FindStringSubmatch(msg); m != nil {
		openOff, _ := strconv.Atoi(m[2])
		ol, _ := src.LineCol(base + openOff)
		return &SyntaxError{Src: src, Offset: base + openOff, Message: fmt.Sprintf("%s opened on line %d is closed by %s", m[3], ol, m[1])}
	}
	if m := errAtLineCol.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		col, _ := strconv.Atoi(m[2])
		off := 0
		for l := 1; l < line && off < len(text); off++ {
			if text[off] == '\n' {
				l++
			}
		}
		off += col - 1
		return &SyntaxError{Src: src, Offset: base + min(off, len(text)), Message: lexerWords(m[3])}
	}
	return &SyntaxError{Src: src, Offset: base, Message: nixWords(strings.TrimPrefix(msg, "(string): "))}
}

// lexTokenMsg is a lexer message about one token: "'(']
// exceeds recursion limit", "ii is not terminated".
var lexTokenMsg = regexp.MustCompile(`^('[^']+'|[a-z_]+)\]? (.*)$`)

// lexerWords rewrites a go-nix lexer message about a token.
func lexerWords(rest string) string {
	m := lexTokenMsg.FindStringSubmatch(rest)
	if m == nil {
		return nixWords(rest)
	}
	tok := tokenWord(m[1])
	switch what := m[2]; {
	case what == "exceeds recursion limit":
		return fmt.Sprintf("nested too deeply (more than %d brackets, strings and ${ } open at once, at this %s)", lexerMaxOpen, tok)
	case what == "does not close anything":
		return tok + " closes nothing"
	case what == "does not follow anything", what == "does not follow an argument of a function":
		return "unexpected " + tok
	case strings.HasPrefix(what, "does not close"):
		return tok + " closes nothing"
	default:
		return tok + " " + what
	}
}

// lexerMaxOpen is go-nix's lexer stack: brackets, strings and
// interpolations open at once (Nix's own parser allows some 10,000).
const lexerMaxOpen = 64

// goNixTokens are go-nix's token names in the text Nix shows for them.
var goNixTokens = map[string]string{
	"assert_": "'assert'", "if_": "'if'", "then": "'then'", "else_": "'else'", "let": "'let'", "in": "'in'",
	"with": "'with'", "or_": "'or'", "rec": "'rec'", "inherit": "'inherit'", "ellipsis": "'...'",
	"interp": "'${'", "ii": "''", "uri": "URL", "path": "path", "float": "number", "int_": "number",
	"id": "name", "argID": "name", "argBracket": "'{'", "text": "string", "impl": "'->'", "or": "'||'",
	"and": "'&&'", "eq": "'=='", "neq": "'!='", "leq": "'<='", "geq": "'>='", "update": "'//'",
	"concat": "'++'", "negate": "'-'", "$end": "end of file", "$unk": "unknown token",
	"space": "space", "comment": "comment",
}

// tokenWord is the Nix spelling of one go-nix token name.
func tokenWord(t string) string {
	if w, ok := goNixTokens[t]; ok {
		if t == "ii" {
			return "indented string ''"
		}
		return w
	}
	return t
}

var goNixUnexpected = regexp.MustCompile(`^unexpected (\S+)(?:, expecting (.*))?$`)

// nixWords rewrites the token names in a go-nix parser message
// ("unexpected $end, expecting or_ or interp or id") into Nix's spelling.
func nixWords(msg string) string {
	m := goNixUnexpected.FindStringSubmatch(msg)
	if m == nil {
		return msg
	}
	out := "unexpected " + tokenWord(m[1])
	if m[2] == "" {
		return out
	}
	alts := strings.Split(m[2], " or ")
	for i, a := range alts {
		alts[i] = tokenWord(a)
	}
	if len(alts) == 1 {
		return out + ", expecting " + alts[0]
	}
	return out + ", expecting " + strings.Join(alts[:len(alts)-1], ", ") + " or " + alts[len(alts)-1]
}

// tokenOffsets reads the byte offsets of go-nix's tokens. The parser keeps
// them unexported; the token bytes it hands out are slices of its own copy of
// the input, so their distance from the first byte of that copy is the offset.
func tokenOffsets(p *parser.Parser) func(int) (int, int) {
	base := reflect.ValueOf(p).Elem().FieldByName("lexResult").Elem().FieldByName("data").Pointer()
	return func(i int) (int, int) {
		b := p.TokenBytes(i)
		s := int(uintptr(unsafe.Pointer(unsafe.SliceData(b))) - base)
		return s, s + len(b)
	}
}

type converter struct {
	src     *Source
	base    int
	p       *parser.Parser
	offsets func(int) (int, int)
	pieces  map[string]*pathPiece
	pipes   map[int]string
	spans   *spanTable // byte ranges of the nodes, filled by measure
}

// nodeSpan is the span of a node, from the first and last token it covers
// (measured once for the whole tree by measure).
func (c *converter) nodeSpan(n *parser.Node) Span {
	r, ok := c.span(n)
	if !ok || r.lo < 0 {
		return Span{c.src, c.base, c.base}
	}
	return Span{c.src, c.base + int(r.lo), c.base + int(r.hi)}
}

func (c *converter) errAt(n *parser.Node, msg string) error {
	return &SyntaxError{Src: c.src, Offset: c.nodeSpan(n).Start, Message: msg}
}

func (c *converter) exprs(ns []*parser.Node) ([]Expr, error) {
	out := make([]Expr, 0, len(ns))
	for _, n := range ns {
		e, err := c.expr(n)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

func (c *converter) expr(n *parser.Node) (Expr, error) {
	sp := c.nodeSpan(n)
	nd := node{sp}
	switch n.Type {
	case parser.IDNode:
		name := c.p.TokenString(n.Tokens[0])
		if pc, ok := c.pieces[name]; ok {
			return c.pathFromPiece(pc)
		}
		return &Ident{nd, name}, nil
	case parser.IntNode:
		v, err := strconv.ParseInt(c.p.TokenString(n.Tokens[0]), 10, 64)
		if err != nil {
			return nil, c.errAt(n, "integer out of range")
		}
		return &IntLit{nd, v}, nil
	case parser.FloatNode:
		v, err := strconv.ParseFloat(c.p.TokenString(n.Tokens[0]), 64)
		if err != nil {
			return nil, c.errAt(n, "bad float")
		}
		return &FloatLit{nd, v}, nil
	case parser.URINode:
		return &StrLit{nd, []StrPart{{Lit: c.p.TokenString(n.Tokens[0])}}}, nil
	case parser.PathNode:
		lit := c.p.TokenString(n.Tokens[0])
		pl := &PathLit{node: nd, Parts: []StrPart{{Lit: lit}}}
		if !strings.HasPrefix(lit, "<") && !strings.HasPrefix(lit, "~") && !strings.HasPrefix(lit, "/") {
			pl.Resolved = filepath.Join(filepath.Dir(c.src.Path), lit)
		}
		return pl, nil
	case parser.StringNode, parser.IStringNode:
		parts, err := c.strParts(n)
		if err != nil {
			return nil, err
		}
		return &StrLit{nd, parts}, nil
	case parser.ParensNode:
		return c.expr(n.Nodes[0])
	case parser.ListNode:
		es, err := c.exprs(n.Nodes)
		if err != nil {
			return nil, err
		}
		return &ListLit{nd, es}, nil
	case parser.SetNode, parser.RecSetNode:
		a := &AttrsLit{node: nd, Rec: n.Type == parser.RecSetNode}
		if err := c.binds(n, &a.Binds, &a.Inherits); err != nil {
			return nil, err
		}
		if err := checkDuplicates(a.Binds, a.Inherits); err != nil {
			return nil, err
		}
		a.Open, a.Close = sp.Start, sp.End-1
		if a.Rec {
			// rec '{' ... '}': the second token is the brace.
			s, _ := c.offsets(n.Tokens[1])
			a.Open = c.base + s
			if kw, _ := c.offsets(n.Tokens[0]); c.pipes[kw] == "let" {
				return &Select{node: nd, X: a, Path: []AttrKey{{Name: "body", Sp: sp}}}, nil
			}
		}
		return a, nil
	case parser.LetNode:
		l := &LetExpr{node: nd}
		if err := c.binds(n.Nodes[0], &l.Binds, &l.Inherits); err != nil {
			return nil, err
		}
		if err := checkDuplicates(l.Binds, l.Inherits); err != nil {
			return nil, err
		}
		body, err := c.expr(n.Nodes[1])
		if err != nil {
			return nil, err
		}
		l.Body = body
		return l, nil
	case parser.WithNode, parser.AssertNode:
		es, err := c.exprs(n.Nodes)
		if err != nil {
			return nil, err
		}
		if n.Type == parser.WithNode {
			return &WithExpr{nd, es[0], es[1]}, nil
		}
		return &AssertExpr{nd, es[0], es[1]}, nil
	case parser.IfNode:
		es, err := c.exprs(n.Nodes)
		if err != nil {
			return nil, err
		}
		return &IfExpr{nd, es[0], es[1], es[2]}, nil
	case parser.FunctionNode:
		return c.function(n, nd)
	case parser.ApplyNode:
		es, err := c.exprs(n.Nodes)
		if err != nil {
			return nil, err
		}
		return &Apply{nd, es[0], es[1]}, nil
	case parser.SelectNode, parser.SelectOrNode:
		x, err := c.expr(n.Nodes[0])
		if err != nil {
			return nil, err
		}
		path, err := c.attrPath(n.Nodes[1])
		if err != nil {
			return nil, err
		}
		s := &Select{node: nd, X: x, Path: path}
		if n.Type == parser.SelectOrNode {
			if s.Default, err = c.expr(n.Nodes[2]); err != nil {
				return nil, err
			}
		}
		return s, nil
	}
	if n.Type >= parser.OpNode {
		op := n.Type.String()
		if n.Type == parser.OpNode+'?' {
			x, err := c.expr(n.Nodes[0])
			if err != nil {
				return nil, err
			}
			path, err := c.attrPath(n.Nodes[1])
			if err != nil {
				return nil, err
			}
			return &HasAttr{nd, x, path}, nil
		}
		if op == "||" && len(n.Nodes) == 2 {
			if e, ok, err := c.implications(n); ok {
				return e, err
			}
		}
		es, err := c.exprs(n.Nodes)
		if err != nil {
			return nil, err
		}
		if len(es) == 1 {
			return &UnOp{nd, op, es[0]}, nil
		}
		if len(n.Tokens) > 0 {
			off, _ := c.offsets(n.Tokens[0])
			switch c.pipes[off] {
			case "|>":
				return &Apply{nd, es[1], es[0]}, nil
			case "<|":
				return &Apply{nd, es[0], es[1]}, nil
			}
		}
		return &BinOp{nd, op, es[0], es[1]}, nil
	}
	return nil, c.errAt(n, "unsupported syntax")
}

// implications converts a chain of `||` (a left-leaning run of `||` nodes
// of one level: a parenthesised `||` is an operand) in one pass, so each
// node is walked once. Where the scanner replaced implications by `||`
// (see rewritePaths), the operands, in source order, are split at each
// `->`: each part is its `||` chain, left-associative, and the parts are
// joined right-associatively by `->`, as Nix groups `a || b -> c -> d` as
// `(a || b) -> (c -> d)`. A chain without an implication keeps the spans
// of its nodes. ok is false for a pipe (`|>` is also scanned as `||`).
func (c *converter) implications(n *parser.Node) (Expr, bool, error) {
	var operands, chain []*parser.Node
	var ops []string
	impl := false
	var walk func(m *parser.Node)
	walk = func(m *parser.Node) {
		if m.Type == n.Type && len(m.Nodes) == 2 && len(m.Tokens) > 0 {
			off, _ := c.offsets(m.Tokens[0])
			switch mark := c.pipes[off]; mark {
			case "", "->":
				walk(m.Nodes[0])
				if mark == "" {
					mark = "||"
				}
				impl = impl || mark == "->"
				ops = append(ops, mark)
				walk(m.Nodes[1])
				chain = append(chain, m)
				return
			}
		}
		operands = append(operands, m)
	}
	walk(n)
	if len(ops) == 0 {
		return nil, false, nil
	}
	es, err := c.exprs(operands)
	if err != nil {
		return nil, true, err
	}
	if !impl {
		out := es[0]
		for i := range ops {
			out = &BinOp{node{c.nodeSpan(chain[i])}, "||", out, es[i+1]}
		}
		return out, true, nil
	}
	join := func(op string, l, r Expr) Expr {
		ls, rs := l.Span(), r.Span()
		return &BinOp{node{Span{ls.Src, ls.Start, rs.End}}, op, l, r}
	}
	// The parts between implications, each folded left by ||.
	var parts []Expr
	cur := es[0]
	for i, op := range ops {
		if op == "->" {
			parts = append(parts, cur)
			cur = es[i+1]
			continue
		}
		cur = join("||", cur, es[i+1])
	}
	parts = append(parts, cur)
	out := parts[len(parts)-1]
	for i := len(parts) - 2; i >= 0; i-- {
		out = join("->", parts[i], out)
	}
	return out, true, nil
}

func (c *converter) function(n *parser.Node, nd node) (Expr, error) {
	l := &Lambda{node: nd}
	for _, ch := range n.Nodes[:len(n.Nodes)-1] {
		switch ch.Type {
		case parser.IDNode:
			l.Param = c.p.TokenString(ch.Tokens[0])
		case parser.ArgSetNode:
			l.HasSet = true
			// go-nix collects the arguments in reverse order.
			for i := len(ch.Nodes) - 1; i >= 0; i-- {
				a := ch.Nodes[i]
				if len(a.Nodes) == 0 {
					l.Ellipsis = true
					continue
				}
				f := Formal{Name: c.p.TokenString(a.Nodes[0].Tokens[0])}
				if len(a.Nodes) > 1 {
					d, err := c.expr(a.Nodes[1])
					if err != nil {
						return nil, err
					}
					f.Default = d
				}
				l.Formals = append(l.Formals, f)
			}
		}
	}
	body, err := c.expr(n.Nodes[len(n.Nodes)-1])
	if err != nil {
		return nil, err
	}
	l.Body = body
	return l, nil
}

func (c *converter) binds(n *parser.Node, binds *[]*Binding, inherits *[]*Inherit) error {
	for _, b := range n.Nodes {
		switch b.Type {
		case parser.BindNode:
			path, err := c.attrPath(b.Nodes[0])
			if err != nil {
				return err
			}
			v, err := c.expr(b.Nodes[1])
			if err != nil {
				return err
			}
			sp := c.nodeSpan(b)
			*binds = append(*binds, &Binding{Sp: sp, Path: path, Value: v})
		case parser.InheritNode:
			names, err := c.keys(b.Nodes[0].Nodes)
			if err != nil {
				return err
			}
			*inherits = append(*inherits, &Inherit{Sp: c.nodeSpan(b), Names: names})
		case parser.InheritFromNode:
			from, err := c.expr(b.Nodes[0])
			if err != nil {
				return err
			}
			names, err := c.keys(b.Nodes[1].Nodes)
			if err != nil {
				return err
			}
			*inherits = append(*inherits, &Inherit{Sp: c.nodeSpan(b), From: from, Names: names})
		}
	}
	return nil
}

func (c *converter) attrPath(n *parser.Node) ([]AttrKey, error) { return c.keys(n.Nodes) }

func (c *converter) keys(ns []*parser.Node) ([]AttrKey, error) {
	out := make([]AttrKey, 0, len(ns))
	for _, k := range ns {
		sp := c.nodeSpan(k)
		switch k.Type {
		case parser.IDNode:
			out = append(out, AttrKey{Name: c.p.TokenString(k.Tokens[0]), Sp: sp})
		case parser.InterpNode:
			e, err := c.expr(k.Nodes[0])
			if err != nil {
				return nil, err
			}
			out = append(out, AttrKey{Dyn: e, Sp: sp})
		case parser.StringNode:
			parts, err := c.strParts(k)
			if err != nil {
				return nil, err
			}
			if len(parts) == 0 {
				out = append(out, AttrKey{Name: "", Sp: sp})
			} else if len(parts) == 1 && parts[0].Expr == nil {
				out = append(out, AttrKey{Name: parts[0].Lit, Sp: sp})
			} else {
				out = append(out, AttrKey{Dyn: &StrLit{node{sp}, parts}, Sp: sp})
			}
		default:
			return nil, c.errAt(k, "unsupported attribute name")
		}
	}
	return out, nil
}

func (c *converter) strParts(n *parser.Node) ([]StrPart, error) {
	indented := n.Type == parser.IStringNode
	var raw []rawStr
	for _, ch := range n.Nodes {
		switch ch.Type {
		case parser.TextNode:
			raw = append(raw, rawStr{text: c.dollarBack(ch.Tokens[0])})
		case parser.InterpNode:
			e, err := c.expr(ch.Nodes[0])
			if err != nil {
				return nil, err
			}
			raw = append(raw, rawStr{expr: e})
		}
	}
	if indented {
		raw = stripIndent(raw)
	}
	var parts []StrPart
	for _, r := range raw {
		if r.expr != nil {
			parts = append(parts, StrPart{Expr: r.expr})
			continue
		}
		lit := unescape(r.text, indented)
		if len(parts) > 0 && parts[len(parts)-1].Expr == nil {
			parts[len(parts)-1].Lit += lit
		} else if lit != "" {
			parts = append(parts, StrPart{Lit: lit})
		}
	}
	return parts, nil
}

// dollarBack is the text of a string's token with the dollars the
// scanner hid from go-nix (a "$" before an escape) put back.
func (c *converter) dollarBack(tok int) string {
	t := c.p.TokenString(tok)
	if !strings.Contains(t, "\x00") {
		return t
	}
	start, _ := c.offsets(tok)
	b := []byte(t)
	for i, ch := range b {
		if ch == 0 && c.pipes[start+i] == "$" {
			b[i] = '$'
		}
	}
	return string(b)
}

func (c *converter) pathFromPiece(pc *pathPiece) (Expr, error) {
	pl := &PathLit{node: node{Span{c.src, c.base + pc.start, c.base + pc.end}}}
	for _, rp := range pc.parts {
		if !rp.isExpr {
			pl.Parts = append(pl.Parts, StrPart{Lit: rp.lit})
			continue
		}
		e, err := ParseRange(c.src, c.base+rp.start, c.base+rp.end)
		if err != nil {
			return nil, err
		}
		pl.Parts = append(pl.Parts, StrPart{Expr: e})
	}
	return pl, nil
}

type rawStr struct {
	text string
	expr Expr
}

// stripIndent removes the common leading whitespace of an indented string,
// as Nix does: interpolations count as content; a first line holding only
// whitespace is dropped, and so are the spaces after the last newline.
func stripIndent(parts []rawStr) []rawStr {
	minIndent := -1
	atStart, col := true, 0
	for _, p := range parts {
		if p.expr != nil {
			if atStart && (minIndent < 0 || col < minIndent) {
				minIndent = col
			}
			atStart = false
			continue
		}
		for i := 0; i < len(p.text); i++ {
			ch := p.text[i]
			switch {
			case ch == '\n':
				atStart, col = true, 0
			case atStart && ch == ' ':
				col++
			case atStart:
				if minIndent < 0 || col < minIndent {
					minIndent = col
				}
				atStart = false
			}
		}
	}
	if minIndent < 0 {
		minIndent = 0
	}
	out := make([]rawStr, 0, len(parts))
	atStart, col = true, 0
	first := true
	for pi, p := range parts {
		if p.expr != nil {
			atStart, first = false, false
			out = append(out, p)
			continue
		}
		var b strings.Builder
		t := p.text
		if pi == 0 && first {
			// Drop a first line that holds only whitespace.
			if i := strings.IndexByte(t, '\n'); i >= 0 && strings.TrimLeft(t[:i], " \t") == "" {
				t = t[i+1:]
			}
		}
		for i := 0; i < len(t); i++ {
			ch := t[i]
			if atStart && ch == ' ' && col < minIndent {
				col++
				continue
			}
			if ch == '\n' {
				atStart, col = true, 0
			} else {
				atStart = false
			}
			b.WriteByte(ch)
		}
		first = false
		out = append(out, rawStr{text: b.String()})
	}
	// Spaces after the final newline are not part of the string.
	if n := len(out); n > 0 && out[n-1].expr == nil {
		t := out[n-1].text
		if i := strings.LastIndexByte(t, '\n'); i >= 0 && strings.TrimLeft(t[i+1:], " \t") == "" {
			out[n-1].text = t[:i+1]
		}
	}
	return out
}

func unescape(s string, indented bool) string {
	if indented {
		if !strings.Contains(s, "''") {
			return s
		}
		var b strings.Builder
		for i := 0; i < len(s); i++ {
			if s[i] == '\'' && i+2 < len(s)+1 && strings.HasPrefix(s[i:], "''") && i+2 < len(s) {
				switch s[i+2] {
				case '$':
					b.WriteByte('$')
					i += 2
					continue
				case '\'':
					b.WriteString("''")
					i += 2
					continue
				case '\\':
					if i+3 < len(s) {
						b.WriteString(escapeChar(s[i+3]))
						i += 3
						continue
					}
				}
			}
			b.WriteByte(s[i])
		}
		return b.String()
	}
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			b.WriteString(escapeChar(s[i+1]))
			i++
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func escapeChar(c byte) string {
	switch c {
	case 'n':
		return "\n"
	case 't':
		return "\t"
	case 'r':
		return "\r"
	}
	return string(c)
}

// isBlank reports whether text holds only white space and comments.
func isBlank(text []byte) bool {
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
		case c == '#':
			for i < len(text) && text[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(text) && text[i+1] == '*':
			end := strings.Index(string(text[i+2:]), "*/")
			if end < 0 {
				return false
			}
			i += end + 3
		default:
			return false
		}
	}
	return true
}
