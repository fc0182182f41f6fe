// Command gentable writes nixeval/screen/table.json: for each flake of
// internal/gentable/inputs.txt (owner/repo and the input names fleets give
// it), the options of the model each of its nixosModules / darwinModules
// defines, screened from its real source at the revision of a local git
// mirror (fetched with the search tool's fetch: /work/.mirror/<owner>+<repo>/repo,
// or MIRROR/<owner>+<repo>/repo). Modules are found in the source's .nix
// files by the bindings that name them (nixosModules.<name> = …,
// nixosModules = { <name> = …; }, flake.nixosModules…), a name bound by
// let in the same file followed once. The NixOS modules by path keep the
// entries already in the table (read by hand from nixpkgs at the revision
// recorded there).
//
//	go run ./internal/gentable
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
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
	old := screen.Shipped()
	out := screen.Table{NixOS: old.NixOS}
	f, err := os.Open("internal/gentable/inputs.txt")
	if err != nil {
		fail(err)
	}
	sc := bufio.NewScanner(f)
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
		in, err := readInput(git, repo, names)
		if err != nil {
			fmt.Fprintf(os.Stderr, "gentable: %s: %v (left out)\n", repo, err)
			continue
		}
		out.Inputs = append(out.Inputs, in)
	}
	if src := os.Getenv("NIXOS_SRC"); src != "" {
		nixosModules(&out.NixOS, src)
	}
	data, _ := json.MarshalIndent(out, "", " ")
	if err := os.WriteFile("nixeval/screen/table.json", append(data, '\n'), 0o644); err != nil {
		fail(err)
	}
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

func readInput(git, repo string, names []string) (screen.TableInput, error) {
	in := screen.TableInput{Repo: repo, Names: names, Modules: map[string][]string{}}
	rev, err := exec.Command("git", "--git-dir", git, "rev-parse", "HEAD").Output()
	if err != nil {
		return in, fmt.Errorf("no mirror at %s", git)
	}
	in.Rev = strings.TrimSpace(string(rev))
	tmp, err := os.MkdirTemp("", "gentable")
	if err != nil {
		return in, err
	}
	defer func() { _ = os.RemoveAll(tmp) }()
	cmd := exec.Command("sh", "-c", "git --git-dir \"$0\" archive HEAD | tar -x -C \"$1\"", git, tmp)
	if out, err := cmd.CombinedOutput(); err != nil {
		return in, fmt.Errorf("git archive: %w %s", err, out)
	}
	load := screen.FileLoader(tmp)
	var names2 []string
	for _, n := range names {
		// expose:DIR — DIR/default.nix lists the modules' paths, named
		// as srvos' exposeModules names them (path under DIR, / as -).
		if dir, ok := strings.CutPrefix(n, "expose:"); ok {
			exposed(in, load, filepath.Join(tmp, dir))
			continue
		}
		names2 = append(names2, n)
	}
	in.Names = names2
	_ = filepath.WalkDir(tmp, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".nix") {
			return nil
		}
		e, err := load(p)
		if err != nil {
			return nil
		}
		for name, m := range modulesIn(e) {
			s := screen.New(load)
			s.NixOS = screen.Shipped().NixOSModule
			s.Module(m, filepath.Dir(p), nil)
			in.Modules[name] = union(in.Modules[name], screen.Relevant(s.Paths()))
		}
		return nil
	})
	return in, nil
}

func exposed(in screen.TableInput, load screen.Loader, dir string) {
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
				s.NixOS = screen.Shipped().NixOSModule
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

// modulesIn finds the module bindings of a file: name → expression.
func modulesIn(root lang.Expr) map[string]lang.Expr {
	lets := map[string]lang.Expr{}
	out := map[string]lang.Expr{}
	var walk func(e lang.Expr)
	aliases := map[string]string{}
	var resolve func(e lang.Expr) lang.Expr
	resolve = func(e lang.Expr) lang.Expr {
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
							out[b.Path[i+1].Name] = resolve(b.Value)
						}
					} else if i+1 == len(b.Path) {
						if set, ok := resolve(b.Value).(*lang.AttrsLit); ok {
							for _, mb := range set.Binds {
								if len(mb.Path) == 1 && mb.Path[0].Dyn == nil && !alias(mb.Path[0].Name, mb.Value) {
									out[mb.Path[0].Name] = resolve(mb.Value)
								}
							}
						}
					}
				case "nixosModule", "darwinModule":
					if i+1 == len(b.Path) {
						out["default"] = resolve(b.Value)
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
