package frameworks

import (
	"slices"

	"github.com/nixbuild-lint/nixbuild-lint/nixeval/lang"
	"github.com/nixbuild-lint/nixbuild-lint/nixeval/modsys"
)

// The reader's own model of colmena's lib.makeHive (github:zhaofengli/colmena),
// as its manual describes a hive: every attribute but meta and defaults is
// a node, a NixOS module; defaults is a module every node gets; meta.nixpkgs
// (or meta.nodeNixpkgs.<node>) is the package set the node is evaluated
// with, whose platform is the node's unless the node sets its own;
// meta.specialArgs and meta.nodeSpecialArgs.<node> are special arguments,
// and every module also gets name (the node's) and nodes (every node's
// evaluated configuration). makeHive hive gives nodes.<name>, the NixOS
// systems fleets use as nixosConfigurations; the rest is unknown.

func makeHivePrim() *lang.Prim {
	return lang.NewPrim("makeHive", 1, func(ev *lang.Evaluator, a []*lang.Thunk) lang.Value {
		nodes := HiveNodes(ev, a[0])
		if _, ok := nodes.(*lang.Attrs); !ok {
			return nodes
		}
		out := lang.NewAttrs()
		out.Set("nodes", nodes)
		return &lang.Attrs{Dyn: lang.OverlaySet{Top: out, Base: &lang.Attrs{Dyn: lang.UnknownSet{Why: "colmena's makeHive (the reader's model gives only nodes):"}}}}
	})
}

// HiveNodes is the NixOS system of every node of a colmena hive, by name
// (what makeHive gives as nodes), or why they cannot be listed.
func HiveNodes(ev *lang.Evaluator, hiveT *lang.Thunk) lang.Value {
	hive, bad := ev.ForceAttrs(hiveT)
	if bad != nil {
		return bad
	}
	names, ok := hive.Names()
	if !ok {
		return &lang.Unknown{Why: "colmena hive whose node names cannot be listed (" + hive.Unlisted() + ")", At: hiveT.Span()}
	}
	meta := attrsOf(ev, hive, "meta")
	nodes := lang.NewAttrs()
	for _, n := range names {
		if n == "meta" || n == "defaults" {
			continue
		}
		name, at := n, hiveT.Span()
		if b, ok := hive.Get(n); ok && b.Bind != nil {
			at = b.Bind.Sp
		}
		nodes.SetThunk(name, lang.Lazy(func() lang.Value { return hiveNode(ev, hive, meta, nodes, name, at) }))
	}
	return nodes
}

// hiveNode is the NixOS system of one node of a hive.
func hiveNode(ev *lang.Evaluator, hive, meta, nodes *lang.Attrs, name string, at lang.Span) lang.Value {
	var mods []*lang.Thunk
	if d, ok := hive.Get("defaults"); ok {
		mods = append(mods, d.T)
	}
	node, _ := hive.Get(name)
	mods = append(mods, node.T)
	pkgs := attrsOf(ev, attrsOf(ev, meta, "nodeNixpkgs"), name)
	if pkgs == nil {
		pkgs = attrsOf(ev, meta, "nixpkgs")
	}
	if pkgs != nil {
		if sys, ok := pkgs.Get("system"); ok {
			// The node's platform is its package set's, at default
			// priority: a node that sets its own wins.
			def := lang.NewAttrs()
			def.Set("_type", lang.StrV("override"))
			def.Set("priority", lang.Int{I: 1000})
			def.SetThunk("content", sys.T)
			np := lang.NewAttrs()
			np.Set("system", def)
			m := lang.NewAttrs()
			m.Set("nixpkgs", np)
			mods = append(mods, lang.ValThunk(m))
		}
	}
	special := lang.NewAttrs()
	for _, s := range []*lang.Attrs{attrsOf(ev, meta, "specialArgs"), attrsOf(ev, attrsOf(ev, meta, "nodeSpecialArgs"), name)} {
		if s == nil {
			continue
		}
		if names, ok := s.Names(); ok {
			for _, n := range names {
				special.M[n], _ = s.Get(n)
			}
		}
	}
	special.Set("name", lang.StrV(name))
	special.Set("nodes", nodes)
	args := lang.NewAttrs()
	args.Set("modules", &lang.List{Elems: mods})
	args.Set("specialArgs", special)
	return modsys.System(ev, lang.ValThunk(args), at, "nixos")
}

// attrsOf is set.name when it is a set (nil otherwise, or for a nil set).
// A set whose names can be listed must list name: a flake-level value
// (merged by the flake's module system) answers every name.
func attrsOf(ev *lang.Evaluator, set *lang.Attrs, name string) *lang.Attrs {
	if set == nil {
		return nil
	}
	if names, ok := set.Names(); ok && !slices.Contains(names, name) {
		return nil
	}
	at, ok := set.Get(name)
	if !ok {
		return nil
	}
	a, _ := ev.Force(at.T).(*lang.Attrs)
	return a
}
