package nixeval

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// The reader's own model of numtide's blueprint (github:numtide/blueprint):
// outputs = inputs.blueprint { inherit inputs; prefix ? ""; } builds the
// flake from its directory layout. Read here: hosts/<name>/configuration.nix
// (a NixOS host) and hosts/<name>/darwin-configuration.nix (nix-darwin),
// their modules given flake (the flake's outputs), inputs, hostName and
// perSystem; modules/nixos/<name> and modules/darwin/<name> as
// nixosModules and darwinModules; lib/default.nix called with flake and
// inputs. A host written as hosts/<name>/default.nix builds itself in a way
// of its own and is not read.

func blueprintPrim() *Prim {
	return prim("blueprint", 2, func(ev *Evaluator, a []*Thunk) Value {
		args, bad := ev.attrs(a[1])
		if bad != nil {
			return bad
		}
		inAt, ok := args.Get("inputs")
		if !ok {
			return &Unknown{Why: "blueprint without inputs"}
		}
		inputs, bad := ev.attrs(inAt.T)
		if bad != nil {
			return bad
		}
		selfAt, ok := inputs.Get("self")
		if !ok {
			return &Unknown{Why: "blueprint: inputs without self"}
		}
		self := selfAt.T
		src := ""
		if sa, ok := args.Get("src"); ok {
			if p, ok := ev.realPath(ev.force(sa.T)); ok {
				src = p
			}
		}
		if src == "" {
			if s, ok := ev.force(self).(*Attrs); ok {
				if op, ok := s.Get("outPath"); ok {
					src, _ = ev.realPath(ev.force(op.T))
				}
			}
		}
		if src == "" {
			return &Unknown{Why: "blueprint: the flake's directory is unknown"}
		}
		if pa, ok := args.Get("prefix"); ok {
			if p, ok := ev.force(pa.T).(*Str); ok {
				src = filepath.Join(src, p.S)
			} else if p, ok := ev.realPath(ev.force(pa.T)); ok {
				src = p
			}
		}
		at := a[1].Span()
		out := newAttrs()
		nixos, darwin := newAttrs(), newAttrs()
		for _, name := range subdirs(filepath.Join(src, "hosts")) {
			dir := filepath.Join(src, "hosts", name)
			if def := filepath.Join(dir, "default.nix"); fileExists(def) {
				// Its own builder: a host, not read (never dropped).
				u := &Unknown{Why: "blueprint host " + name + " is built by its own hosts/" + name + "/default.nix"}
				if _, src, err := sessionOf(ev).Reader.load(def, Span{}); err == nil {
					u.At = Span{Src: src, Start: 0, End: 0}
				}
				nixos.set(name, u)
				continue
			}
			for _, c := range []struct{ file, kind string }{{"configuration.nix", "nixos"}, {"darwin-configuration.nix", "darwin"}} {
				file := filepath.Join(dir, c.file)
				if st, err := os.Stat(file); err != nil || st.IsDir() {
					continue
				}
				special := newAttrs()
				special.setThunk("flake", self)
				special.setThunk("inputs", inAt.T)
				special.set("hostName", strV(name))
				special.set("perSystem", &Attrs{Dyn: unknownSet{"blueprint perSystem"}})
				sys := newAttrs()
				sys.set("modules", &List{Elems: []*Thunk{valThunk(&Path{P: file, At: at})}})
				sys.set("specialArgs", special)
				host := evalSystem(ev, valThunk(sys), at, c.kind)
				if c.kind == "nixos" {
					nixos.set(name, host)
				} else {
					darwin.set(name, host)
				}
				break
			}
		}
		out.set("nixosConfigurations", nixos)
		out.set("darwinConfigurations", darwin)
		out.set("nixosModules", blueprintModules(filepath.Join(src, "modules", "nixos"), at))
		out.set("darwinModules", blueprintModules(filepath.Join(src, "modules", "darwin"), at))
		if lib := filepath.Join(src, "lib", "default.nix"); fileExists(lib) {
			out.setThunk("lib", lazy(func() Value {
				f := ev.importValue(&Path{P: lib, At: at})
				la := newAttrs()
				la.setThunk("flake", self)
				la.setThunk("inputs", inAt.T)
				return ev.call(f, valThunk(la), at)
			}))
		}
		return out
	})
}

// blueprintModules: each <name>.nix or <name>/default.nix of dir.
func blueprintModules(dir string, at Span) Value {
	out := newAttrs()
	ents, err := os.ReadDir(dir)
	if err != nil {
		return out
	}
	for _, e := range ents {
		name := e.Name()
		switch {
		case e.IsDir() && fileExists(filepath.Join(dir, name, "default.nix")):
			out.set(name, &Path{P: filepath.Join(dir, name, "default.nix"), At: at})
		case !e.IsDir() && strings.HasSuffix(name, ".nix"):
			out.set(strings.TrimSuffix(name, ".nix"), &Path{P: filepath.Join(dir, name), At: at})
		}
	}
	return out
}

func subdirs(dir string) []string {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range ents {
		if e.IsDir() {
			out = append(out, e.Name())
		}
	}
	sort.Strings(out)
	return out
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}
