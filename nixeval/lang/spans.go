package lang

import (
	"math"
	"math/bits"
	"unsafe"

	"github.com/orivej/go-nix/nix/parser"
)

// span32 is a byte range of the parsed text; lo < 0: the node covers no
// token.
type span32 struct{ lo, hi int32 }

var noSpan = span32{-1, -1}

// maxParseText is the largest text one parse takes, so that every offset
// fits a span32 (files are far smaller: MaxNixFile).
const maxParseText = math.MaxInt32

// spanTable holds the byte range of every inner node of one parse tree
// (a leaf's range is its own tokens', read when asked). It is an
// open-addressing hash table on the nodes' addresses, sized once per tree
// and reused, arrays and all, for the next tree of a batch: a tree costs no
// allocation once the arrays are large enough, where a Go map grown node by
// node allocated some 50 bytes a node.
//
// Addresses are stable: Go's collector does not move heap objects, and the
// table keeps the nodes themselves (keys), so they stay alive while
// it is in use.
type spanTable struct {
	keys  []*parser.Node
	spans []span32
	shift uint // 64 - log2(len(keys))
	n     int  // nodes stored

	// Scratch of the passes over the tree, kept for the next tree.
	walk   []measureFrame
	inner  []nodeSpan32
	nest   []nestItem
	starts []int
}

type measureFrame struct {
	n    *parser.Node
	next int
	span span32 // of the children done so far
}

type nodeSpan32 struct {
	n    *parser.Node
	span span32
}

type nestItem struct {
	n           *parser.Node
	nest, depth int
}

// reset empties the table and makes room for inner nodes (at most half
// full, so probes stay short).
func (t *spanTable) reset(inner int) {
	size := 8
	for size < 2*inner {
		size *= 2
	}
	if cap(t.keys) >= size {
		t.keys = t.keys[:size]
		t.spans = t.spans[:size]
		clear(t.keys)
	} else {
		t.keys = make([]*parser.Node, size)
		t.spans = make([]span32, size)
	}
	t.shift = uint(64 - bits.TrailingZeros(uint(size)))
	t.n = 0
}

// slot is where n is, or the empty slot where it goes.
func (t *spanTable) slot(n *parser.Node) int {
	// Fibonacci hashing of the address: the top bits of the product.
	h := int((uint64(uintptr(unsafe.Pointer(n))) * 0x9E3779B97F4A7C15) >> t.shift)
	mask := len(t.keys) - 1
	for t.keys[h] != nil && t.keys[h] != n {
		h = (h + 1) & mask
	}
	return h
}

// put stores the range of an inner node.
func (t *spanTable) put(n *parser.Node, s span32) {
	if 2*(t.n+1) > len(t.keys) {
		t.grow()
	}
	i := t.slot(n)
	if t.keys[i] == nil {
		t.n++
	}
	t.keys[i], t.spans[i] = n, s
}

// grow doubles the table (only when reset was told too few nodes).
func (t *spanTable) grow() {
	keys, spans := t.keys, t.spans
	t.keys = make([]*parser.Node, 2*len(keys))
	t.spans = make([]span32, 2*len(keys))
	t.shift--
	t.n = 0
	for i, k := range keys {
		if k != nil {
			t.put(k, spans[i])
		}
	}
}

// get is the stored range of n.
func (t *spanTable) get(n *parser.Node) (span32, bool) {
	if len(t.keys) == 0 {
		return noSpan, false
	}
	i := t.slot(n)
	if t.keys[i] == nil {
		return noSpan, false
	}
	return t.spans[i], true
}
