package nixeval

import (
	"strings"

	"github.com/orivej/go-nix/nix/parser"
)

// ParseResult is one file's parse in a batch.
type parseResult struct {
	src *Source
	e   Expr
	err error
}

// parseBatch parses files as the elements of one list `[ (a) (b) … ]`.
func parseBatch(srcs []*Source) (out []parseResult) {
	alone := func() []parseResult {
		rs := make([]parseResult, len(srcs))
		for i, s := range srcs {
			e, err := ParseSource(s)
			rs[i] = parseResult{src: s, e: e, err: err}
		}
		return rs
	}
	if len(srcs) <= 1 {
		return alone()
	}
	var b strings.Builder
	starts := make([]int, len(srcs))
	b.WriteString("[")
	for i, s := range srcs {
		b.WriteString("(")
		starts[i] = b.Len()
		b.Write(s.Data)
		b.WriteString("\n)")
	}
	b.WriteString("]")
	text := []byte(b.String())
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
	out = make([]parseResult, len(srcs))
	for i, s := range srcs {
		out[i].src = s
		n := p.Result.Nodes[i]
		if n.Type != parser.ParensNode {
			return alone()
		}
		c := &converter{src: s, base: -starts[i], p: p, pieces: pieces, pipes: pipes, offsets: offsets}
		e, err := c.expr(n.Nodes[0])
		if err == nil {
			err = checkScope(e, nil)
		}
		if err != nil {
			// Parse alone for the exact error a single parse gives.
			e, err = ParseSource(s)
		}
		out[i].e, out[i].err = e, err
	}
	return out
}
