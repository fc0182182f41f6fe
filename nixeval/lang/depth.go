package lang

import (
	"fmt"
	"sort"

	"github.com/orivej/go-nix/nix/parser"
)

// Nesting limits. Nix's parser (bison) keeps one stack entry per grammar
// symbol that is still open and stops at 10,000 with "memory exhausted":
// about 10,000 unary minus signs, 5,000 `{ } //` or `x:` in a row, 3,300
// `if … then`, 2,500 `let x =`. MaxNesting counts the same way (every token
// and sub-expression of an unfinished construct left of the current one),
// so a file Nix rejects for its depth is rejected here too, and at close to
// the same place.
//
// MaxTreeDepth bounds the depth of the tree itself, which also counts the
// left-leaning chains Nix parses without stacking (`1 + 1 + …`,
// `f a b …`): Nix's parser accepts them, but Nix's own evaluator stops on a
// chain of a million with "stack overflow". Every pass over the tree here
// (scope, evaluation, fixes) recurses along it, so a bound keeps their
// stacks small.
const (
	MaxNesting   = 10000
	MaxTreeDepth = 200000
)

// listLike nodes hold a run of items that Nix's grammar reduces into one
// symbol as it goes (binds, list elements, string parts, formals): the items
// before an item count once, not each.
func listLike(t parser.NodeType) bool {
	switch t {
	case parser.ListNode, parser.SetNode, parser.RecSetNode, parser.BindsNode,
		parser.StringNode, parser.IStringNode, parser.ArgSetNode, parser.AttrPathNode,
		parser.InheritListNode:
		return true
	}
	return false
}

// measure computes the byte range of every node of the tree below root in
// one pass without recursion (a tree of any depth), then checks its
// nesting: a file nested deeper than Nix parses is a syntax error naming
// where the limit was passed. The ranges of inner nodes go into the
// converter's span table (emptied first); a leaf's range is its tokens',
// read when asked.
func (c *converter) measure(root *parser.Node) error {
	if c.spans == nil {
		c.spans = &spanTable{}
	}
	t := c.spans
	stack := t.walk[:0]
	stack = append(stack, measureFrame{n: root, span: noSpan})
	inner := t.inner[:0]
	size := 0 // nodes and tokens of the tree
	for len(stack) > 0 {
		top := &stack[len(stack)-1]
		if top.next < len(top.n.Nodes) {
			ch := top.n.Nodes[top.next]
			top.next++
			if ch != nil {
				stack = append(stack, measureFrame{n: ch, span: noSpan})
			}
			continue
		}
		// Every child is done and folded into top.span: add the node's
		// own tokens, then fold it into its parent.
		n, r := top.n, c.tokenSpan(top.n, top.span)
		size += 1 + len(n.Tokens)
		stack = stack[:len(stack)-1]
		if len(n.Nodes) > 0 {
			inner = append(inner, nodeSpan32{n, r})
		}
		if len(stack) > 0 && r.lo >= 0 {
			p := &stack[len(stack)-1].span
			if p.lo < 0 || r.lo < p.lo {
				p.lo = r.lo
			}
			if r.hi > p.hi {
				p.hi = r.hi
			}
		}
	}
	t.reset(len(inner))
	for _, x := range inner {
		t.put(x.n, x.span)
	}
	t.walk, t.inner = stack[:0], inner[:0]
	if size <= MaxNesting {
		// A node's nesting counts, for each node above it, at most that
		// node's tokens and children; its depth at most the nodes above
		// it. A tree of no more nodes and tokens than MaxNesting (and
		// MaxNesting < MaxTreeDepth) can pass neither limit: almost every
		// file is one.
		return nil
	}
	return c.checkNesting(root)
}

// tokenSpan widens r (the range of a node's children) by the node's own
// tokens.
func (c *converter) tokenSpan(n *parser.Node, r span32) span32 {
	for _, tok := range n.Tokens {
		s, e := c.offsets(tok)
		if r.lo < 0 || int32(s) < r.lo {
			r.lo = int32(s)
		}
		if int32(e) > r.hi {
			r.hi = int32(e)
		}
	}
	return r
}

// span is the byte range of a node of the measured tree: from the table
// for an inner node, from its tokens for a leaf.
func (c *converter) span(n *parser.Node) (span32, bool) {
	if len(n.Nodes) == 0 {
		return c.tokenSpan(n, noSpan), true
	}
	if c.spans == nil {
		return noSpan, false
	}
	return c.spans.get(n)
}

// checkNesting walks the tree once (without recursion) with the nesting
// and depth of every node.
func (c *converter) checkNesting(root *parser.Node) error {
	t := c.spans
	stack := t.nest[:0]
	stack = append(stack, nestItem{n: root})
	starts := t.starts[:0]
	defer func() { t.nest, t.starts = stack[:0], starts[:0] }()
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if it.nest > MaxNesting {
			return c.errAt(it.n, fmt.Sprintf("nested too deeply (more than %d open constructs; Nix stops here too, with \"memory exhausted\")", MaxNesting))
		}
		if it.depth > MaxTreeDepth {
			return c.errAt(it.n, fmt.Sprintf("nested too deeply (an expression more than %d levels deep)", MaxTreeDepth))
		}
		n := it.n
		starts = starts[:0]
		for _, tok := range n.Tokens {
			s, _ := c.offsets(tok)
			starts = append(starts, s)
		}
		sort.Ints(starts)
		for _, ch := range n.Nodes {
			if ch == nil {
				continue
			}
			chs, _ := c.span(ch)
			at := int(chs.lo)
			before := sort.SearchInts(starts, at) // tokens of n left of ch
			if listLike(n.Type) || len(n.Nodes) > 8 {
				before++
			} else {
				for _, o := range n.Nodes {
					if o != nil && o != ch {
						if os, _ := c.span(o); os.lo >= 0 && int(os.lo) < at {
							before++
						}
					}
				}
			}
			stack = append(stack, nestItem{n: ch, nest: it.nest + before, depth: it.depth + 1})
		}
	}
	return nil
}
