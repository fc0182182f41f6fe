package lang

import (
	"github.com/orivej/go-nix/nix/parser"
)

// ParseResult is one file's parse in a batch.
type ParseResult struct {
	Src  *Source
	Expr Expr
	Err  error
}

// ParseBatch parses files as the elements of one list `[ (a) (b) … ]`.
func ParseBatch(srcs []*Source) (out []ParseResult) {
	alone := func() []ParseResult {
		rs := make([]ParseResult, len(srcs))
		for i, s := range srcs {
			e, err := ParseSource(s)
			rs[i] = ParseResult{Src: s, Expr: e, Err: err}
		}
		return rs
	}
	if len(srcs) <= 1 {
		return alone()
	}
	n := 2
	for _, s := range srcs {
		n += len(s.Data) + 3
	}
	if n > maxParseText {
		return alone()
	}
	starts := make([]int, len(srcs))
	text := make([]byte, 0, n)
	text = append(text, '[')
	for i, s := range srcs {
		text = append(text, '(')
		starts[i] = len(text)
		text = append(text, s.Data...)
		text = append(text, "\n)"...)
	}
	text = append(text, ']')
	pieces, pipes, err := rewritePaths(text, nil, 0)
	if err != nil {
		return alone()
	}
	defer func() {
		if recover() != nil {
			out = alone()
		}
	}()
	p, perr := parser.ParseString(string(text))
	if perr != nil || p.Result == nil || len(p.Result.Nodes) != len(srcs) {
		return alone()
	}
	offsets := tokenOffsets(p)
	out = make([]ParseResult, len(srcs))
	spans := &spanTable{} // one table for the files in turn
	for i, s := range srcs {
		out[i].Src = s
		n := p.Result.Nodes[i]
		if n.Type != parser.ParensNode {
			return alone()
		}
		c := &converter{src: s, base: -starts[i], p: p, pieces: pieces, pipes: pipes, offsets: offsets, spans: spans}
		err := c.measure(n.Nodes[0])
		var e Expr
		if err == nil {
			e, err = c.expr(n.Nodes[0])
		}
		if err == nil {
			err = checkScope(e, nil)
		}
		if err != nil {
			// Parse alone for the exact error a single parse gives.
			e, err = ParseSource(s)
		}
		out[i].Expr, out[i].Err = e, err
	}
	return out
}
