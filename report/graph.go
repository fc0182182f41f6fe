package report

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/nixbuild-lint/nixbuild-lint/model"
	"github.com/nixbuild-lint/nixbuild-lint/rules"
)

type graphNode struct {
	id, label string
	external  bool
	bad       bool
}

type graphEdge struct {
	from, to, label string
	bad             bool
}

// buildGraph turns the fleet into hosts (system, what they emulate) and
// client -> builder edges (systems and features claimed), marking what has
// findings.
func buildGraph(f *model.Fleet, fs []rules.Finding) ([]*graphNode, []graphEdge) {
	c := rules.NewContext(f)
	nodes := map[string]*graphNode{}
	var order []string
	add := func(key, label string, external bool) *graphNode {
		if n, ok := nodes[key]; ok {
			return n
		}
		n := &graphNode{id: fmt.Sprintf("n%d", len(order)), label: label, external: external}
		nodes[key] = n
		order = append(order, key)
		return n
	}
	for _, h := range f.Hosts {
		label := h.Name
		if !h.System.Unknown {
			label += "\n" + h.System.V
		}
		if len(h.Emulated.V) > 0 {
			label += "\nemulates " + strings.Join(h.Emulated.V, ", ")
		}
		add("host:"+h.Name, label, false)
	}
	badEntry := map[string]bool{}
	for _, fd := range fs {
		if fd.Entry > 0 {
			badEntry[fmt.Sprintf("%s#%d", fd.Host, fd.Entry-1)] = true
		} else if n, ok := nodes["host:"+fd.Host]; ok {
			n.bad = true
		}
	}
	var edges []graphEdge
	for _, h := range f.Hosts {
		for _, m := range h.Machines.Entries {
			var to *graphNode
			if b, _ := c.Resolve(h, m); b != nil {
				to = nodes["host:"+b.Name]
			} else {
				name := m.HostName.V
				if m.HostName.Unknown {
					name = "?"
				}
				to = add("ext:"+name, name+"\n(outside the flake)", true)
			}
			systems, _, known := m.EffectiveSystems()
			label := "?"
			if known {
				label = strings.Join(systems, ", ")
			}
			if feats := append(append([]string{}, m.SupportedFeatures.V...), m.MandatoryFeatures.V...); len(feats) > 0 {
				sort.Strings(feats)
				label += "\n[" + strings.Join(feats, ", ") + "]"
			}
			edges = append(edges, graphEdge{from: nodes["host:"+h.Name].id, to: to.id, label: label, bad: badEntry[fmt.Sprintf("%s#%d", h.Name, m.Index)]})
		}
	}
	out := make([]*graphNode, len(order))
	for i, k := range order {
		out[i] = nodes[k]
	}
	return out, edges
}

// Mermaid renders the fleet as a Mermaid flowchart (GitHub renders it).
func Mermaid(w io.Writer, f *model.Fleet, fs []rules.Finding) error {
	nodes, edges := buildGraph(f, fs)
	// Mermaid's entity codes: a label can neither close its quotes nor
	// hold HTML; control characters as Term prints them.
	q := strings.NewReplacer(`"`, "#quot;", "\n", "<br/>", "\r", "#13;", "<", "#lt;", ">", "#gt;", "#", "#35;", "`", "#96;")
	var b strings.Builder
	b.WriteString("flowchart LR\n")
	for _, n := range nodes {
		shape := `["%s"]`
		if n.external {
			shape = `(["%s"])`
		}
		fmt.Fprintf(&b, "  %s"+shape+"\n", n.id, q.Replace(n.label))
	}
	for _, e := range edges {
		fmt.Fprintf(&b, "  %s -->|\"%s\"| %s\n", e.from, q.Replace(e.label), e.to)
	}
	b.WriteString("  classDef finding stroke:#d00,stroke-width:3px\n")
	for _, n := range nodes {
		if n.bad {
			fmt.Fprintf(&b, "  class %s finding\n", n.id)
		}
	}
	for i, e := range edges {
		if e.bad {
			fmt.Fprintf(&b, "  linkStyle %d stroke:#d00,stroke-width:3px\n", i)
		}
	}
	_, err := io.WriteString(NewTerm(w), b.String())
	return err
}

// DOT renders the fleet for Graphviz.
func DOT(w io.Writer, f *model.Fleet, fs []rules.Finding) error {
	nodes, edges := buildGraph(f, fs)
	q := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", `\r`)
	var b strings.Builder
	b.WriteString("digraph fleet {\n  rankdir=LR;\n  node [shape=box, fontname=\"sans-serif\"];\n  edge [fontname=\"sans-serif\", fontsize=10];\n")
	for _, n := range nodes {
		attrs := fmt.Sprintf("label=\"%s\"", q.Replace(n.label))
		if n.external {
			attrs += ", style=dashed"
		}
		if n.bad {
			attrs += ", color=red, penwidth=2"
		}
		fmt.Fprintf(&b, "  %s [%s];\n", n.id, attrs)
	}
	for _, e := range edges {
		attrs := fmt.Sprintf("label=\"%s\"", q.Replace(e.label))
		if e.bad {
			attrs += ", color=red, fontcolor=red, penwidth=2"
		}
		fmt.Fprintf(&b, "  %s -> %s [%s];\n", e.from, e.to, attrs)
	}
	b.WriteString("}\n")
	_, err := io.WriteString(NewTerm(w), b.String())
	return err
}
