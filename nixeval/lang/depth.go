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
// where the limit was passed.
func (c *converter) measure(root *parser.Node) error {
	if c.spans == nil {
		c.spans = map[*parser.Node][2]int{}
	}
	type frame struct {
		n    *parser.Node
		next int
	}
	stack := []frame{{n: root}}
	for len(stack) > 0 {
		top := &stack[len(stack)-1]
		if top.next < len(top.n.Nodes) {
			ch := top.n.Nodes[top.next]
			top.next++
			if ch != nil {
				stack = append(stack, frame{n: ch})
			}
			continue
		}
		n := top.n
		stack = stack[:len(stack)-1]
		lo, hi := -1, -1
		for _, t := range n.Tokens {
			s, e := c.offsets(t)
			if lo < 0 || s < lo {
				lo = s
			}
			if e > hi {
				hi = e
			}
		}
		for _, ch := range n.Nodes {
			if ch == nil {
				continue
			}
			r := c.spans[ch]
			if r[0] < 0 {
				continue
			}
			if lo < 0 || r[0] < lo {
				lo = r[0]
			}
			if r[1] > hi {
				hi = r[1]
			}
		}
		c.spans[n] = [2]int{lo, hi}
	}
	return c.checkNesting(root)
}

// checkNesting walks the tree once (without recursion) with the nesting
// and depth of every node.
func (c *converter) checkNesting(root *parser.Node) error {
	type item struct {
		n           *parser.Node
		nest, depth int
	}
	stack := []item{{n: root}}
	var starts []int
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
		for _, t := range n.Tokens {
			s, _ := c.offsets(t)
			starts = append(starts, s)
		}
		sort.Ints(starts)
		for _, ch := range n.Nodes {
			if ch == nil {
				continue
			}
			at := c.spans[ch][0]
			before := sort.SearchInts(starts, at) // tokens of n left of ch
			if listLike(n.Type) || len(n.Nodes) > 8 {
				before++
			} else {
				for _, o := range n.Nodes {
					if o != nil && o != ch && c.spans[o][0] >= 0 && c.spans[o][0] < at {
						before++
					}
				}
			}
			stack = append(stack, item{n: ch, nest: it.nest + before, depth: it.depth + 1})
		}
	}
	return nil
}
