package frameworks

import (
	"path/filepath"
	"sort"
	"strings"

	"github.com/nixbuild-lint/nixbuild-lint/nixeval/lang"
	"github.com/nixbuild-lint/nixbuild-lint/nixeval/modsys"
)

// The reader's own model of numtide's blueprint (github:numtide/blueprint):
// outputs = inputs.blueprint { inherit inputs; prefix ? ""; } builds the
// flake from its directory layout. Read here: hosts/<name>/configuration.nix
// (a NixOS host) and hosts/<name>/darwin-configuration.nix (nix-darwin),
// their modules given flake (the flake's outputs), inputs, hostName and
// perSystem; modules/nixos/<name> and modules/darwin/<name> as
// nixosModules and darwinModules; lib/default.nix called with flake and
// inputs. A host written as hosts/<name>/default.nix builds itself: the file
// is called with flake, inputs and hostName and gives { class; value; },
// class "nixos" or "nix-darwin", value the system (its nixosSystem or
// darwinSystem call is read as any other).

// Blueprint is numtide's blueprint function (see above).
func Blueprint() *lang.Prim {
	return lang.NewPrim("blueprint", 2, func(ev *lang.Evaluator, a []*lang.Thunk) lang.Value {
		args, bad := ev.ForceAttrs(a[1])
		if bad != nil {
			return bad
		}
		inAt, ok := args.Get("inputs")
		if !ok {
			return &lang.Unknown{Why: "blueprint without inputs"}
		}
		inputs, bad := ev.ForceAttrs(inAt.T)
		if bad != nil {
			return bad
		}
		selfAt, ok := inputs.Get("self")
		if !ok {
			return &lang.Unknown{Why: "blueprint: inputs without self"}
		}
		self := selfAt.T
		src := ""
		if sa, ok := args.Get("src"); ok {
			if p, ok := ev.RealPath(ev.Force(sa.T)); ok {
				src = p
			}
		}
		if src == "" {
			if s, ok := ev.Force(self).(*lang.Attrs); ok {
				if op, ok := s.Get("outPath"); ok {
					src, _ = ev.RealPath(ev.Force(op.T))
				}
			}
		}
		if src == "" {
			return &lang.Unknown{Why: "blueprint: the flake's directory is unknown"}
		}
		if pa, ok := args.Get("prefix"); ok {
			if p, ok := ev.Force(pa.T).(*lang.Str); ok {
				src = filepath.Join(src, p.S)
			} else if p, ok := ev.RealPath(ev.Force(pa.T)); ok {
				src = p
			}
		}
		at := a[1].Span()
		out := lang.NewAttrs()
		nixos, darwin := lang.NewAttrs(), lang.NewAttrs()
		for _, name := range subdirs(ev, filepath.Join(src, "hosts")) {
			dir := filepath.Join(src, "hosts", name)
			if def := filepath.Join(dir, "default.nix"); fileExists(ev, def) {
				// Its own builder: { class; value; } of the file called
				// with flake, inputs and hostName.
				kind, host := blueprintOwnHost(ev, def, name, self, inAt.T, at)
				if kind == "darwin" {
					darwin.Set(name, host)
				} else {
					nixos.Set(name, host)
				}
				continue
			}
			for _, c := range []struct{ file, kind string }{{"configuration.nix", "nixos"}, {"darwin-configuration.nix", "darwin"}} {
				file := filepath.Join(dir, c.file)
				if !fileExists(ev, file) {
					continue
				}
				special := lang.NewAttrs()
				special.SetThunk("flake", self)
				special.SetThunk("inputs", inAt.T)
				special.Set("hostName", lang.StrV(name))
				special.Set("perSystem", &lang.Attrs{Dyn: lang.UnknownSet{Why: "blueprint perSystem"}})
				sys := lang.NewAttrs()
				sys.Set("modules", &lang.List{Elems: []*lang.Thunk{lang.ValThunk(&lang.Path{P: file, At: at})}})
				sys.Set("specialArgs", special)
				host := modsys.System(ev, lang.ValThunk(sys), at, c.kind)
				if c.kind == "nixos" {
					nixos.Set(name, host)
				} else {
					darwin.Set(name, host)
				}
				break
			}
		}
		out.Set("nixosConfigurations", nixos)
		out.Set("darwinConfigurations", darwin)
		out.Set("nixosModules", blueprintModules(ev, filepath.Join(src, "modules", "nixos"), at))
		out.Set("darwinModules", blueprintModules(ev, filepath.Join(src, "modules", "darwin"), at))
		if lib := filepath.Join(src, "lib", "default.nix"); fileExists(ev, lib) {
			out.SetThunk("lib", lang.Lazy(func() lang.Value {
				f := ev.Import(&lang.Path{P: lib, At: at})
				la := lang.NewAttrs()
				la.SetThunk("flake", self)
				la.SetThunk("inputs", inAt.T)
				return ev.Call(f, lang.ValThunk(la), at)
			}))
		}
		return out
	})
}

// blueprintModules: each <name>.nix or <name>/default.nix of dir.
func blueprintModules(ev *lang.Evaluator, dir string, at lang.Span) lang.Value {
	out := lang.NewAttrs()
	ents, err := ev.Loader().Files().ReadDir(dir)
	if err != nil {
		return out
	}
	for _, e := range ents {
		name := e.Name()
		switch {
		case e.IsDir() && fileExists(ev, filepath.Join(dir, name, "default.nix")):
			out.Set(name, &lang.Path{P: filepath.Join(dir, name, "default.nix"), At: at})
		case !e.IsDir() && strings.HasSuffix(name, ".nix"):
			out.Set(strings.TrimSuffix(name, ".nix"), &lang.Path{P: filepath.Join(dir, name), At: at})
		}
	}
	return out
}

func subdirs(ev *lang.Evaluator, dir string) []string {
	ents, err := ev.Loader().Files().ReadDir(dir)
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

// fileExists reports whether p is a file of the tree (not a directory).
func fileExists(ev *lang.Evaluator, p string) bool {
	st, err := ev.Loader().Files().Stat(p)
	return err == nil && !st.IsDir()
}

// blueprintOwnHost is the host of hosts/<name>/default.nix: its kind
// ("nixos" or "darwin") and value, from the { class; value; } the file
// gives; a class the reader does not know (system-manager, …), or one it
// cannot know, is a host not read, saying so at the file.
func blueprintOwnHost(ev *lang.Evaluator, def, name string, self, inputs *lang.Thunk, at lang.Span) (string, lang.Value) {
	where := lang.Span{}
	if _, src, err := ev.Loader().Load(def, lang.Span{}); err == nil {
		where = lang.Span{Src: src}
	}
	args := lang.NewAttrs()
	args.SetThunk("flake", self)
	args.SetThunk("inputs", inputs)
	args.Set("hostName", lang.StrV(name))
	args.Set("perSystem", &lang.Attrs{Dyn: lang.UnknownSet{Why: "blueprint perSystem"}})
	r := ev.Call(ev.Import(&lang.Path{P: def, At: at}), lang.ValThunk(args), at)
	set, ok := r.(*lang.Attrs)
	if !ok {
		if u, isU := r.(*lang.Unknown); isU {
			return "nixos", u
		}
		return "nixos", &lang.Unknown{Why: "blueprint host " + name + ": hosts/" + name + "/default.nix gives a " + r.Kind() + ", not { class; value; }", At: where}
	}
	cl, ok := set.Get("class")
	val, ok2 := set.Get("value")
	if !ok || !ok2 {
		return "nixos", &lang.Unknown{Why: "blueprint host " + name + ": hosts/" + name + "/default.nix gives no class and value", At: where}
	}
	c, isStr := ev.Force(cl.T).(*lang.Str)
	if !isStr {
		return "nixos", &lang.Unknown{Why: "blueprint host " + name + ": the class of hosts/" + name + "/default.nix cannot be known", At: where}
	}
	switch c.S {
	case "nixos":
		return "nixos", ev.Force(val.T)
	case "nix-darwin":
		return "darwin", ev.Force(val.T)
	}
	return "nixos", &lang.Unknown{Why: "blueprint host " + name + " is of class " + c.S + " (hosts/" + name + "/default.nix), neither nixos nor nix-darwin", At: where}
}
