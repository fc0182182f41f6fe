package lang

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/orivej/go-nix/nix/parser"

	"github.com/nixbuild-lint/nixbuild-lint/internal/fleetgen"
)

// TestSpanTable: the table finds every node stored, finds none it was not
// given, keeps the last range put for a node, grows when told too few
// nodes, and a reset for the next tree forgets the previous one while
// keeping its arrays.
func TestSpanTable(t *testing.T) {
	nodes := make([]parser.Node, 5000)
	var tab spanTable
	tab.reset(100) // too small on purpose: put must grow it
	for i := range nodes {
		tab.put(&nodes[i], span32{int32(i), int32(2 * i)})
	}
	tab.put(&nodes[7], span32{70, 71})
	if tab.n != len(nodes) {
		t.Errorf("%d nodes stored, want %d", tab.n, len(nodes))
	}
	if 2*tab.n > len(tab.keys) {
		t.Errorf("table of %d slots holds %d nodes: more than half full", len(tab.keys), tab.n)
	}
	for i := range nodes {
		want := span32{int32(i), int32(2 * i)}
		if i == 7 {
			want = span32{70, 71}
		}
		if got, ok := tab.get(&nodes[i]); !ok || got != want {
			t.Fatalf("node %d: got %v %v, want %v", i, got, ok, want)
		}
	}
	other := &parser.Node{}
	if got, ok := tab.get(other); ok || got != noSpan {
		t.Errorf("a node never put: got %v %v", got, ok)
	}
	size := cap(tab.keys)
	tab.reset(10)
	if tab.n != 0 || len(tab.keys) != 32 {
		t.Errorf("after reset(10): %d nodes in %d slots, want 0 in 32", tab.n, len(tab.keys))
	}
	if cap(tab.keys) != size {
		t.Errorf("reset reallocated: capacity %d, was %d", cap(tab.keys), size)
	}
	for i := range nodes {
		if _, ok := tab.get(&nodes[i]); ok {
			t.Fatalf("node %d of the previous tree still found", i)
		}
	}
	tab.put(&nodes[1], span32{3, 4})
	if got, ok := tab.get(&nodes[1]); !ok || got != (span32{3, 4}) {
		t.Errorf("after reset: got %v %v", got, ok)
	}
	var empty spanTable
	if _, ok := empty.get(other); ok {
		t.Error("an empty table found a node")
	}
}

// naiveSpan is a node's range as the reader computed it before the table:
// the first and last byte of every token below it.
func naiveSpan(c *converter, n *parser.Node) span32 {
	r := noSpan
	for _, tok := range n.Tokens {
		s, e := c.offsets(tok)
		if r.lo < 0 || int32(s) < r.lo {
			r.lo = int32(s)
		}
		if int32(e) > r.hi {
			r.hi = int32(e)
		}
	}
	for _, ch := range n.Nodes {
		if ch == nil {
			continue
		}
		cr := naiveSpan(c, ch)
		if cr.lo < 0 {
			continue
		}
		if r.lo < 0 || cr.lo < r.lo {
			r.lo = cr.lo
		}
		if cr.hi > r.hi {
			r.hi = cr.hi
		}
	}
	return r
}

// TestMeasureSpans: measure gives every node of real files (the reader's
// own lib, the parse corpus, a generated fleet) the range of the tokens
// below it, also when one table serves the files of a batch in turn.
func TestMeasureSpans(t *testing.T) {
	var texts [][]byte
	if b, err := os.ReadFile("../lib.nix"); err == nil {
		texts = append(texts, b)
	} else {
		t.Fatal(err)
	}
	gen := t.TempDir()
	if _, err := fleetgen.Write(gen, 3); err != nil {
		t.Fatal(err)
	}
	for _, root := range []string{"../../testdata/parse", gen} {
		_ = filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
			if err == nil && strings.HasSuffix(p, ".nix") {
				if b, err := os.ReadFile(p); err == nil {
					texts = append(texts, b)
				}
			}
			return nil
		})
	}
	shared := &spanTable{}
	measured, nodes := 0, 0
	for _, text := range texts {
		p, err := parser.ParseString(string(text))
		if err != nil || p.Result == nil {
			continue // the corpus holds files Nix rejects too
		}
		for _, tab := range []*spanTable{nil, shared} {
			c := &converter{p: p, offsets: tokenOffsets(p), spans: tab}
			if err := c.measure(p.Result); err != nil {
				t.Fatal(err)
			}
			var walk func(n *parser.Node)
			walk = func(n *parser.Node) {
				nodes++
				want := naiveSpan(c, n)
				if got, ok := c.span(n); !ok || got != want {
					t.Fatalf("%.40q: node %v: span %v %v, want %v", text, n.Type, got, ok, want)
				}
				for _, ch := range n.Nodes {
					if ch != nil {
						walk(ch)
					}
				}
			}
			walk(p.Result)
		}
		measured++
	}
	if measured < 20 || nodes < 5000 {
		t.Errorf("only %d files, %d nodes compared", measured, nodes)
	}
}
