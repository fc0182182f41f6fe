// Command gentable writes nixeval/screen/table.json: for each flake of
// internal/gentable/inputs.txt (owner/repo and the input names fleets give
// it), the options of the model each of its nixosModules / darwinModules
// defines, screened from its real source at the revision of a local git
// mirror (fetched with the search tool's fetch: /work/.mirror/<owner>+<repo>/repo,
// or MIRROR/<owner>+<repo>/repo). Modules are found in the source's .nix
// files by the bindings that name them (nixosModules.<name> = …,
// nixosModules = { <name> = …; }, flake.nixosModules…), a name bound by
// let in the same file followed once. An input whose mirror is absent keeps
// its entry. The NixOS modules by path (internal/gentable/nixos.txt) are
// screened from copies of their text under $NIXOS_SRC, read with the search
// tool from nixpkgs at the commit recorded for each, with the files they
// import; without NIXOS_SRC (or without a copy) they keep their entries.
//
//	NIXOS_SRC=internal/gentable/nixos-src go run ./internal/gentable
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/nixbuild-lint/nixbuild-lint/nixeval/lang"
	"github.com/nixbuild-lint/nixbuild-lint/nixeval/screen"
)

func main() {
	mirror := os.Getenv("MIRROR")
	if mirror == "" {
		mirror = "/work/.mirror"
	}
	f, err := os.Open("internal/gentable/inputs.txt")
	if err != nil {
		fail(err)
	}
	// The NixOS modules first: the flakes' modules that import them by
	// path are screened with these entries, not the shipped ones.
	old := *screen.Shipped()
	if src := os.Getenv("NIXOS_SRC"); src != "" {
		old.NixOS = copyNixOS(old.NixOS)
		nixosModules(&old.NixOS, src)
	}
	out, err := generate(&old, f, mirror, os.Stderr)
	_ = f.Close()
	if err != nil {
		fail(err)
	}
	data, _ := json.MarshalIndent(out, "", " ")
	if err := os.WriteFile("nixeval/screen/table.json", append(data, '\n'), 0o644); err != nil {
		fail(err)
	}
}

// generate reads the inputs of list (inputs.txt's lines) from their
// mirrors under mirror. An input whose mirror cannot be read keeps its
// entry of old (the table shipped before) with the revision it was read
// at, and says so on log; one old never had is left out. The NixOS modules
// by path are old's, and a module importing one by path (modulesPath + …)
// is screened with old's entry for it.
func generate(old *screen.Table, list io.Reader, mirror string, log io.Writer) (screen.Table, error) {
	out := screen.Table{NixOS: old.NixOS}
	sc := bufio.NewScanner(list)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 || strings.HasPrefix(fields[0], "#") {
			continue
		}
		repo := fields[0]
		git := filepath.Join(mirror, strings.Replace(repo, "/", "+", 1), "repo")
		var names []string
		for _, f := range fields[1:] {
			if m, ok := strings.CutPrefix(f, "mirror:"); ok {
				git = filepath.Join(mirror, m, "repo") // the same repository under its new name
				continue
			}
			names = append(names, f)
		}
		in, err := readInput(git, repo, names, old.NixOS.Lookup)
		if err != nil {
			if prev, ok := oldInput(old, repo); ok {
				prev.Names = nil // the names are the list's, not the source's
				for _, n := range names {
					if !strings.HasPrefix(n, "expose:") {
						prev.Names = append(prev.Names, n)
					}
				}
				fmt.Fprintf(log, "gentable: %s: %v (entry kept as read at %s)\n", repo, err, prev.Rev)
				out.Inputs = append(out.Inputs, prev)
				continue
			}
			fmt.Fprintf(log, "gentable: %s: %v (left out: not in the table before)\n", repo, err)
			continue
		}
		out.Inputs = append(out.Inputs, in)
	}
	return out, sc.Err()
}

// oldInput is repo's entry of the table shipped before.
func oldInput(old *screen.Table, repo string) (screen.TableInput, bool) {
	for _, in := range old.Inputs {
		if in.Repo == repo {
			return in, true
		}
	}
	return screen.TableInput{}, false
}

// copyNixOS is t with maps of its own.
func copyNixOS(t screen.TableNixOS) screen.TableNixOS {
	c := screen.TableNixOS{Rev: t.Rev, Revs: map[string]string{}, Modules: map[string][]string{}}
	for k, v := range t.Revs {
		c.Revs[k] = v
	}
	for k, v := range t.Modules {
		c.Modules[k] = v
	}
	return c
}

// nixosModules screens the NixOS modules of internal/gentable/nixos.txt
// from their copies in src (src/<path under nixos/modules>).
func nixosModules(t *screen.TableNixOS, src string) {
	f, err := os.Open("internal/gentable/nixos.txt")
	if err != nil {
		fail(err)
	}
	defer func() { _ = f.Close() }()
	if t.Revs == nil {
		t.Revs = map[string]string{}
	}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) != 2 || strings.HasPrefix(fields[0], "#") {
			continue
		}
		if _, err := os.Stat(filepath.Join(src, fields[0])); err != nil {
			if _, ok := t.Modules[fields[0]]; ok {
				fmt.Fprintf(os.Stderr, "gentable: %s: no copy under %s (entry kept as it is)\n", fields[0], src)
			} else {
				fmt.Fprintf(os.Stderr, "gentable: %s: no copy under %s (left out: not in the table before)\n", fields[0], src)
			}
			continue
		}
		s := screen.New(screen.FileLoader(src))
		s.NixOS = t.Lookup
		s.File(filepath.Join(src, fields[0]))
		t.Modules[fields[0]] = screen.Relevant(s.Paths())
		t.Revs[fields[0]] = fields[1]
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "gentable:", err)
	os.Exit(1)
}

func readInput(git, repo string, names []string, nixos func(string) ([]string, bool)) (screen.TableInput, error) {
	in := screen.TableInput{Repo: repo, Names: names, Modules: map[string][]string{}}
	rev, err := exec.Command("git", "--git-dir", git, "rev-parse", "HEAD").Output()
	if err != nil {
		return in, fmt.Errorf("no mirror at %s", git)
	}
	in.Rev = strings.TrimSpace(string(rev))
	tmp, err := archive(git, "HEAD")
	if err != nil {
		return in, err
	}
	defer func() { _ = os.RemoveAll(tmp) }()
	load := screen.FileLoader(tmp)
	var names2 []string
	for _, n := range names {
		// expose:DIR — DIR/default.nix lists the modules' paths, named
		// as srvos' exposeModules names them (path under DIR, / as -).
		if dir, ok := strings.CutPrefix(n, "expose:"); ok {
			exposed(in, load, filepath.Join(tmp, dir), nixos)
			continue
		}
		names2 = append(names2, n)
	}
	in.Names = names2
	for name, d := range treeModules(tmp, nixos) {
		in.Modules[name] = union(in.Modules[name], d)
	}
	// inherit (agenix) nixosModules …: the modules are the input's, at
	// the revision this flake locks (ragenix passes agenix's through).
	if e, err := load(filepath.Join(tmp, "flake.nix")); err == nil {
		for _, input := range reexports(e) {
			mods, err := lockedModules(tmp, filepath.Dir(filepath.Dir(git)), input, nixos)
			if err != nil {
				fmt.Fprintf(os.Stderr, "gentable: %s: modules of input %s: %v (not read)\n", repo, input, err)
				continue
			}
			for name, d := range mods {
				if _, own := in.Modules[name]; !own {
					in.Modules[name] = d
				}
			}
		}
	}
	return in, nil
}

// archive unpacks rev of the git directory into a new temporary folder.
func archive(git, rev string) (string, error) {
	tmp, err := os.MkdirTemp("", "gentable")
	if err != nil {
		return "", err
	}
	cmd := exec.Command("sh", "-c", "git --git-dir \"$0\" archive \"$1\" | tar -x -C \"$2\"", git, rev, tmp)
	if out, err := cmd.CombinedOutput(); err != nil {
		_ = os.RemoveAll(tmp)
		return "", fmt.Errorf("git archive: %w %s", err, out)
	}
	return tmp, nil
}

// treeModules screens the modules named in the .nix files of a tree.
func treeModules(tmp string, nixos func(string) ([]string, bool)) map[string][]string {
	load := screen.FileLoader(tmp)
	out := map[string][]string{}
	_ = filepath.WalkDir(tmp, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".nix") {
			return nil
		}
		e, err := load(p)
		if err != nil {
			return nil
		}
		for name, m := range modulesIn(e, filepath.Dir(p), load) {
			s := screen.New(load)
			s.NixOS = nixos
			s.Tree = tmp
			s.Module(m.e, m.dir, nil)
			out[name] = union(out[name], screen.Relevant(s.Paths()))
		}
		return nil
	})
	return out
}

// reexports are the inputs a flake's outputs pass modules through from:
// inherit (input) nixosModules / darwinModules.
func reexports(root lang.Expr) []string {
	var out []string
	var walk func(e lang.Expr)
	walk = func(e lang.Expr) {
		switch x := e.(type) {
		case *lang.AttrsLit:
			for _, in := range x.Inherits {
				id, ok := in.From.(*lang.Ident)
				if !ok {
					continue
				}
				for _, n := range in.Names {
					if n.Dyn == nil && (n.Name == "nixosModules" || n.Name == "darwinModules") && !slices.Contains(out, id.Name) {
						out = append(out, id.Name)
					}
				}
			}
			for _, b := range x.Binds {
				walk(b.Value)
			}
		case *lang.LetExpr:
			for _, b := range x.Binds {
				walk(b.Value)
			}
			walk(x.Body)
		case *lang.Lambda:
			walk(x.Body)
		case *lang.Apply:
			walk(x.Fn)
			walk(x.Arg)
		case *lang.BinOp:
			walk(x.L)
			walk(x.R)
		case *lang.ListLit:
			for _, el := range x.Elems {
				walk(el)
			}
		case *lang.WithExpr:
			walk(x.Body)
		case *lang.IfExpr:
			walk(x.Then)
			walk(x.Else)
		}
	}
	walk(root)
	return out
}

// lockedModules screens the modules of a flake's input at the revision
// its flake.lock locks, from that repository's mirror under mirror.
func lockedModules(tree, mirror, input string, nixos func(string) ([]string, bool)) (map[string][]string, error) {
	data, err := os.ReadFile(filepath.Join(tree, "flake.lock"))
	if err != nil {
		return nil, err
	}
	var lock struct {
		Root  string `json:"root"`
		Nodes map[string]struct {
			Inputs map[string]any `json:"inputs"`
			Locked struct {
				Type  string `json:"type"`
				Owner string `json:"owner"`
				Repo  string `json:"repo"`
				Rev   string `json:"rev"`
			} `json:"locked"`
		} `json:"nodes"`
	}
	if err := json.Unmarshal(data, &lock); err != nil {
		return nil, err
	}
	node, ok := lock.Nodes[lock.Root].Inputs[input].(string)
	if !ok {
		return nil, fmt.Errorf("not a direct input in flake.lock")
	}
	l := lock.Nodes[node].Locked
	if l.Type != "github" || l.Rev == "" {
		return nil, fmt.Errorf("locked as %q, not a github revision", l.Type)
	}
	tmp, err := archive(filepath.Join(mirror, l.Owner+"+"+l.Repo, "repo"), l.Rev)
	if err != nil {
		return nil, fmt.Errorf("%s/%s at %s: %w", l.Owner, l.Repo, l.Rev, err)
	}
	defer func() { _ = os.RemoveAll(tmp) }()
	return treeModules(tmp, nixos), nil
}

func exposed(in screen.TableInput, load screen.Loader, dir string, nixos func(string) ([]string, bool)) {
	e, err := load(filepath.Join(dir, "default.nix"))
	if err != nil {
		return
	}
	var walk func(e lang.Expr)
	walk = func(e lang.Expr) {
		switch x := e.(type) {
		case *lang.LetExpr:
			walk(x.Body)
		case *lang.Apply:
			walk(x.Fn)
			walk(x.Arg)
		case *lang.ListLit:
			for _, el := range x.Elems {
				p, ok := el.(*lang.PathLit)
				if !ok || len(p.Parts) != 1 {
					continue
				}
				rel := strings.TrimPrefix(filepath.Clean(p.Parts[0].Lit), "./")
				name := strings.ReplaceAll(strings.TrimSuffix(rel, ".nix"), "/", "-")
				s := screen.New(load)
				s.NixOS = nixos
				s.File(filepath.Join(dir, rel))
				in.Modules[name] = screen.Relevant(s.Paths())
			}
		}
	}
	walk(e)
}

func union(a, b []string) []string {
	set := map[string]bool{}
	for _, x := range append(append([]string{}, a...), b...) {
		set[x] = true
	}
	if set[screen.Any] {
		return []string{screen.Any}
	}
	out := []string{}
	for x := range set {
		out = append(out, x)
	}
	sort.Strings(out)
	return out
}

// module is a module expression and the directory of its file.
type module struct {
	e   lang.Expr
	dir string
}

// importOf is the file of `import ./file` or `import ./file args`.
func importOf(e lang.Expr, dir string) (string, bool) {
	var args []lang.Expr
	for {
		a, ok := e.(*lang.Apply)
		if !ok {
			break
		}
		args = append([]lang.Expr{a.Arg}, args...)
		e = a.Fn
	}
	if id, ok := e.(*lang.Ident); !ok || id.Name != "import" || len(args) == 0 {
		return "", false
	}
	pl, ok := args[0].(*lang.PathLit)
	if !ok || len(pl.Parts) != 1 || pl.Parts[0].Expr != nil {
		return "", false
	}
	f := filepath.Join(dir, pl.Parts[0].Lit)
	if st, err := os.Stat(f); err == nil && st.IsDir() {
		f = filepath.Join(f, "default.nix")
	}
	return f, true
}

// peel is a file's value past the functions and lets around it (the
// lets kept for resolving names).
func peel(e lang.Expr, lets map[string]lang.Expr) lang.Expr {
	for {
		switch x := e.(type) {
		case *lang.Lambda:
			e = x.Body
		case *lang.LetExpr:
			for _, b := range x.Binds {
				if len(b.Path) == 1 && b.Path[0].Dyn == nil {
					lets[b.Path[0].Name] = b.Value
				}
			}
			e = x.Body
		default:
			return e
		}
	}
}

// modulesIn finds the module bindings of a file of dir: name → module.
// A set of modules written as `import ./file` (with or without
// arguments) is read from that file; `… // import ./file args` at the
// top of a flake's outputs is followed into the file.
func modulesIn(root lang.Expr, rootDir string, load screen.Loader) map[string]module {
	lets := map[string]lang.Expr{}
	out := map[string]module{}
	dir := rootDir
	followed := map[string]bool{}
	var walk func(e lang.Expr)
	aliases := map[string]string{}
	var resolve func(e lang.Expr) lang.Expr
	resolve = func(e lang.Expr) lang.Expr {
		if f, ok := importOf(e, dir); ok && !followed["r:"+f] {
			if v, err := load(f); err == nil {
				followed["r:"+f] = true
				dir = filepath.Dir(f)
				return resolve(peel(v, lets))
			}
		}
		switch x := e.(type) {
		case *lang.Ident:
			if v, ok := lets[x.Name]; ok && v != e {
				return v
			}
		case *lang.LetExpr:
			for _, b := range x.Binds {
				if len(b.Path) == 1 && b.Path[0].Dyn == nil {
					lets[b.Path[0].Name] = b.Value
				}
			}
			return resolve(x.Body)
		}
		return e
	}
	alias := func(name string, e lang.Expr) bool {
		// default = self.nixosModules.sops: the same module.
		if sel, ok := e.(*lang.Select); ok && len(sel.Path) >= 2 {
			n := len(sel.Path)
			if k := sel.Path[n-2]; k.Dyn == nil && (k.Name == "nixosModules" || k.Name == "darwinModules") && sel.Path[n-1].Dyn == nil {
				aliases[name] = sel.Path[n-1].Name
				return true
			}
		}
		return false
	}
	binds := func(bs []*lang.Binding) {
		for _, b := range bs {
			if len(b.Path) == 1 && b.Path[0].Dyn == nil {
				lets[b.Path[0].Name] = b.Value
			}
		}
	}
	// sets reads a set of modules (name = module; inherit name;
	// a // b): name → module.
	var sets func(e lang.Expr)
	sets = func(e lang.Expr) {
		e = resolve(e)
		sd := dir
		switch set := e.(type) {
		case *lang.BinOp: // modulesPerFile // { inherit default; }
			if set.Op == "//" {
				sets(set.L)
				dir = sd
				sets(set.R)
			}
		case *lang.AttrsLit:
			for _, mb := range set.Binds {
				if len(mb.Path) == 1 && mb.Path[0].Dyn == nil && !alias(mb.Path[0].Name, mb.Value) {
					m := resolve(mb.Value)
					out[mb.Path[0].Name] = module{m, dir}
					dir = sd
				}
			}
			for _, in := range set.Inherits {
				for _, n := range in.Names {
					if v, ok := lets[n.Name]; ok && in.From == nil && n.Dyn == nil {
						out[n.Name] = module{resolve(v), dir}
						dir = sd
					}
				}
			}
		}
	}
	visit := func(bs []*lang.Binding) {
		for _, b := range bs {
			for i, k := range b.Path {
				if k.Dyn != nil {
					break
				}
				switch k.Name {
				case "nixosModules", "darwinModules":
					if i+1 < len(b.Path) && b.Path[i+1].Dyn == nil {
						if i+2 == len(b.Path) && !alias(b.Path[i+1].Name, b.Value) {
							d := dir
							m := resolve(b.Value)
							out[b.Path[i+1].Name] = module{m, dir}
							dir = d
						}
					} else if i+1 == len(b.Path) && leaves(b.Value, dir, load, out) {
						// self.lib.rakeLeaves ./modules: a module per file
					} else if i+1 == len(b.Path) {
						d := dir
						sets(b.Value)
						dir = d
					}
				case "modules":
					// flake-parts' flake.modules.<class>.<name> (NUR's
					// modules.nixos.default); a class set written as
					// { nixos = …; darwin = …; } or genAttrs [ "nixos" … ] (_: set).
					rest := b.Path[i+1:]
					d := dir
					switch {
					case len(rest) == 2 && rest[0].Dyn == nil && moduleClass(rest[0].Name) && rest[1].Dyn == nil:
						out[rest[1].Name] = module{resolve(b.Value), dir}
					case len(rest) == 1 && rest[0].Dyn == nil && moduleClass(rest[0].Name):
						sets(b.Value)
					case len(rest) == 0:
						for _, v := range classSets(resolve(b.Value)) {
							sets(v)
							dir = d
						}
					}
					dir = d
				case "nixosModule", "darwinModule":
					if i+1 == len(b.Path) {
						d := dir
						m := resolve(b.Value)
						out["default"] = module{m, dir}
						dir = d
					}
				}
			}
			walk(b.Value)
		}
	}
	walk = func(e lang.Expr) {
		switch x := e.(type) {
		case *lang.AttrsLit:
			binds(x.Binds)
			visit(x.Binds)
		case *lang.LetExpr:
			binds(x.Binds)
			visit(x.Binds)
			walk(x.Body)
		case *lang.Lambda:
			walk(x.Body)
		case *lang.Apply:
			if f, ok := importOf(x, dir); ok && !followed["w:"+f] {
				if v, err := load(f); err == nil {
					followed["w:"+f] = true
					d := dir
					dir = filepath.Dir(f)
					walk(peel(v, lets))
					dir = d
					return
				}
			}
			walk(x.Fn)
			walk(x.Arg)
		case *lang.WithExpr:
			walk(x.Body)
		case *lang.BinOp:
			walk(x.L)
			walk(x.R)
		case *lang.ListLit:
			for _, el := range x.Elems {
				walk(el)
			}
		}
	}
	walk(root)
	for from, to := range aliases {
		if m, ok := out[to]; ok {
			if _, own := out[from]; !own {
				out[from] = m
			}
		}
	}
	return out
}

// moduleClass: the classes of flake.modules whose modules the table keeps.
func moduleClass(name string) bool { return name == "nixos" || name == "darwin" }

// classSets are the module sets of a flake.modules value for the NixOS and
// darwin classes: { nixos = set; … } or genAttrs [ "nixos" … ] (_: set).
func classSets(e lang.Expr) []lang.Expr {
	switch x := e.(type) {
	case *lang.AttrsLit:
		var out []lang.Expr
		for _, b := range x.Binds {
			if len(b.Path) == 1 && b.Path[0].Dyn == nil && moduleClass(b.Path[0].Name) {
				out = append(out, b.Value)
			}
		}
		return out
	case *lang.Apply:
		name, args := fnCall(x)
		if name != "genAttrs" || len(args) != 2 {
			return nil
		}
		classes, ok := args[0].(*lang.ListLit)
		body, ok2 := args[1].(*lang.Lambda)
		if !ok || !ok2 {
			return nil
		}
		for _, c := range classes.Elems {
			if s, ok := c.(*lang.StrLit); ok && len(s.Parts) == 1 && s.Parts[0].Expr == nil && moduleClass(s.Parts[0].Lit) {
				return []lang.Expr{body.Body}
			}
		}
	}
	return nil
}

// fnCall is a call's function name (its last attribute) and arguments.
func fnCall(e lang.Expr) (string, []lang.Expr) {
	var args []lang.Expr
	for {
		a, ok := e.(*lang.Apply)
		if !ok {
			break
		}
		args = append([]lang.Expr{a.Arg}, args...)
		e = a.Fn
	}
	switch x := e.(type) {
	case *lang.Ident:
		return x.Name, args
	case *lang.Select:
		if n := len(x.Path); n > 0 && x.Path[n-1].Dyn == nil {
			return x.Path[n-1].Name, args
		}
	}
	return "", args
}

// leaves reads `<lib>.rakeLeaves ./dir` (nix-minecraft's module set: a
// module per .nix file or directory under dir, named by its file name
// without .nix) into out.
func leaves(e lang.Expr, dir string, load screen.Loader, out map[string]module) bool {
	a, ok := e.(*lang.Apply)
	if !ok {
		return false
	}
	sel, ok := a.Fn.(*lang.Select)
	pl, ok2 := a.Arg.(*lang.PathLit)
	if !ok || !ok2 || len(sel.Path) == 0 || sel.Path[len(sel.Path)-1].Name != "rakeLeaves" || len(pl.Parts) != 1 || pl.Parts[0].Expr != nil {
		return false
	}
	root := filepath.Join(dir, pl.Parts[0].Lit)
	ents, err := os.ReadDir(root)
	if err != nil {
		return false
	}
	for _, en := range ents {
		f := filepath.Join(root, en.Name())
		name := strings.TrimSuffix(en.Name(), ".nix")
		if en.IsDir() {
			f = filepath.Join(f, "default.nix")
		} else if name == en.Name() {
			continue
		}
		if v, err := load(f); err == nil {
			out[name] = module{v, filepath.Dir(f)}
		}
	}
	return true
}
