// Package screen decides, from a module's source alone, which options of
// the model it can define ("screening"): for a module the reader does not
// evaluate (it stopped inside it, or it comes from a table of modules read
// elsewhere), the attribute paths it sets anywhere in its import closure
// (`config = …`, nested sets, the bodies of mkIf, mkMerge, mkDefault,
// mkForce and their kin, imports) are compared with the option paths the
// rules read. A name computed at a level that matters counts as any name;
// a value the screen cannot follow (a variable, a call of an unknown
// function) at a path counts as defining everything below that path.
package screen

import (
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/nixbuild-lint/nixbuild-lint/model"
	"github.com/nixbuild-lint/nixbuild-lint/nixeval/lang"
)

// Any stands for a name the screen cannot know (a computed attribute name).
const Any = "*"

// Options are the option paths the model reads ("*" for any name), the
// old names NixOS renames to them included: a module that can define one
// of them can change what the rules see.
var Options = []string{
	"boot.binfmt.emulatedSystems", "boot.binfmt.registrations",
	"networking.hostName", "networking.domain",
	"nixpkgs.hostPlatform", "nixpkgs.system", "nixpkgs.localSystem", "nixpkgs.buildPlatform",
	"nix.buildMachines", "nix.distributedBuilds", "nix.extraOptions", "nix.linux-builder",
	"nix.settings.builders-use-substitutes", "nix.settings.extra-platforms",
	"nix.settings.system-features", "nix.settings.extra-system-features",
	"nix.settings.trusted-users", "nix.settings.extra-trusted-users", "nix.settings.max-jobs",
	"nix.settings.builders",
	"nix.sshServe", "nix.trustedUsers", "nix.maxJobs", "nix.systemFeatures", "nix.extraPlatforms",
	"services.openssh.enable", "services.openssh.settings.PermitRootLogin", "services.openssh.permitRootLogin",
	"programs.ssh.extraConfig", "programs.ssh.knownHosts",
	"users.users.*.openssh.authorizedKeys.keys", "users.users.*.openssh.authorizedKeys.keyFiles",
	"users.users.*.shell", "users.users.*.useDefaultShell", "users.users.*.isSystemUser",
	"users.users.*.isNormalUser", "users.users.*.group", "users.users.*.extraGroups",
	"users.defaultUserShell",
}

// Match reports whether a path a module can define (a) and an option path
// (b) meet: one is a prefix of the other, "*" matching any name.
func Match(a, b string) bool { return model.MatchOption(a, b) }

// Relevant keeps the paths that meet an option of the model, sorted and
// once each; a path that stands for everything ("" or "*") is "*".
func Relevant(paths []string) []string {
	out := []string{}
	for _, p := range paths {
		if p == "" {
			p = Any
		}
		for _, o := range Options {
			if Match(p, o) {
				if !slices.Contains(out, p) {
					out = append(out, p)
				}
				break
			}
		}
	}
	sort.Strings(out)
	if slices.Contains(out, Any) {
		return []string{Any}
	}
	return out
}

// Loader parses a file for the screen.
type Loader func(path string) (lang.Expr, error)

// FileLoader parses files from disk, refusing any outside root.
func FileLoader(root string) Loader {
	if r, err := filepath.EvalSymlinks(root); err == nil {
		root = r
	}
	return func(p string) (lang.Expr, error) {
		rp, err := filepath.EvalSymlinks(p)
		if err != nil {
			return nil, err
		}
		if rel, err := filepath.Rel(root, rp); err != nil || strings.HasPrefix(rel, "..") {
			return nil, os.ErrNotExist
		}
		data, err := os.ReadFile(rp)
		if err != nil {
			return nil, err
		}
		if len(data) > 8<<20 {
			return nil, os.ErrInvalid
		}
		return lang.ParseSource(lang.NewSource(rp, rp, data))
	}
}

// Screen collects the paths of one import closure.
type Screen struct {
	load Loader
	// NixOS gives what a module of nixpkgs' nixos/modules (by its path
	// there, modulesPath + "/…") can define; nil: anything.
	NixOS func(rel string) ([]string, bool)
	seen  map[string]bool
	paths []string
	steps int
	// Tree, when set, is the root of the whole source the module comes
	// from (an input's tree): a value at a path ending in N that is
	// itself the N of a set computed elsewhere (disko's
	// `boot = cfg.devices._config.boot or { }`) can then have only the
	// names the tree writes below an N anywhere.
	Tree string
	// inTree: the tree is being searched (a value of that kind met
	// there adds nothing: it is what the search computes).
	inTree bool
}

// New is a screen that reads files through load.
func New(load Loader) *Screen { return &Screen{load: load, seen: map[string]bool{}} }

// Paths are the paths found so far ("" stands for everything).
func (s *Screen) Paths() []string { return s.paths }

const maxSteps = 200000

func (s *Screen) add(prefix []string) {
	s.paths = append(s.paths, strings.Join(prefix, "."))
}

// File screens a module file (a directory is its default.nix).
func (s *Screen) File(p string) {
	if st, err := os.Stat(p); err == nil && st.IsDir() {
		p = filepath.Join(p, "default.nix")
	}
	if s.seen[p] {
		return
	}
	s.seen[p] = true
	e, err := s.load(p)
	if err != nil || e == nil {
		s.add(nil) // a module the screen cannot read can define anything
		return
	}
	s.Module(e, filepath.Dir(p), nil)
}

// fnName is the name a call's function goes by (lib.mkIf, mkIf,
// lib.modules.mkIf: "mkIf") and its arguments, outermost call first.
func fnName(e lang.Expr) (string, []lang.Expr) {
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

// strList reads a literal list of strings (an option path).
func strList(e lang.Expr) ([]string, bool) {
	l, ok := e.(*lang.ListLit)
	if !ok {
		return nil, false
	}
	var out []string
	for _, el := range l.Elems {
		s, ok := el.(*lang.StrLit)
		if !ok || len(s.Parts) != 1 || s.Parts[0].Expr != nil {
			return nil, false
		}
		out = append(out, s.Parts[0].Lit)
	}
	return out, true
}

// pathOf is a literal path's file, relative to dir.
func pathOf(p *lang.PathLit, dir string) (string, bool) {
	var b strings.Builder
	for _, part := range p.Parts {
		if part.Expr != nil {
			return "", false
		}
		b.WriteString(part.Lit)
	}
	s := b.String()
	if filepath.IsAbs(s) {
		return s, true
	}
	if strings.HasPrefix(s, "<") {
		return "", false
	}
	return filepath.Join(dir, s), true
}

// Module screens a module expression written in a file of dir.
func (s *Screen) Module(e lang.Expr, dir string, prefix []string) {
	if s.steps++; s.steps > maxSteps {
		s.add(nil)
		return
	}
	switch x := e.(type) {
	case nil:
	case *lang.Lambda:
		s.Module(x.Body, dir, prefix)
	case *lang.LetExpr:
		s.Module(x.Body, dir, prefix)
	case *lang.WithExpr:
		s.Module(x.Body, dir, prefix)
	case *lang.AssertExpr:
		s.Module(x.Body, dir, prefix)
	case *lang.IfExpr:
		s.Module(x.Then, dir, prefix)
		s.Module(x.Else, dir, prefix)
	case *lang.PathLit:
		if p, ok := pathOf(x, dir); ok {
			s.File(p)
			return
		}
		s.add(nil)
	case *lang.AttrsLit:
		full := false
		for _, b := range x.Binds {
			if len(b.Path) > 0 && b.Path[0].Dyn == nil && (b.Path[0].Name == "config" || b.Path[0].Name == "options") {
				full = true
			}
		}
		for _, b := range x.Binds {
			if len(b.Path) == 0 || b.Path[0].Dyn != nil {
				s.add(nil)
				continue
			}
			switch b.Path[0].Name {
			case "imports":
				s.imports(b.Value, dir)
			case "_file", "key", "disabledModules", "meta", "_class", "options", "freeformType":
			case "config":
				s.config(b.Value, keys(b.Path[1:]), dir)
			default:
				if !full {
					s.config(b.Value, keys(b.Path), dir)
				}
			}
		}
		for _, in := range x.Inherits {
			for _, n := range in.Names {
				if n.Name == "imports" {
					s.add(nil)
				} else if !full || n.Name == "config" {
					s.add([]string{n.Name})
				}
			}
		}
	case *lang.Apply:
		name, args := fnName(x)
		switch name {
		case "mkRenamedOptionModule", "mkAliasOptionModule", "mkAliasOptionModuleMD", "mkChangedOptionModule":
			if len(args) >= 2 {
				if to, ok := strList(args[1]); ok {
					s.add(to)
					return
				}
			}
		case "mkMergedOptionModule":
			if len(args) >= 2 {
				if to, ok := strList(args[1]); ok {
					s.add(to)
					return
				}
			}
		case "mkRenamedOptionModuleWith", "doRename":
			if len(args) == 1 {
				if a, ok := args[0].(*lang.AttrsLit); ok {
					for _, b := range a.Binds {
						if len(b.Path) == 1 && b.Path[0].Name == "to" {
							if to, ok := strList(b.Value); ok {
								s.add(to)
								return
							}
						}
					}
				}
			}
		case "mkRemovedOptionModule":
			return
		case "import", "importApply", "setDefaultModuleLocation":
			if name == "setDefaultModuleLocation" && len(args) == 2 {
				s.Module(args[1], dir, prefix)
				return
			}
			if len(args) >= 1 {
				s.Module(args[0], dir, prefix)
				return
			}
		case "mkIf", "mkMerge", "mkDefault", "mkForce", "mkOverride":
			s.config(x, nil, dir) // a module written as a property
			return
		}
		s.add(nil)
	case *lang.StrLit, *lang.BinOp:
		if rel, ok := modulesPathOf(x); ok && s.NixOS != nil {
			if paths, ok := s.NixOS(rel); ok {
				for _, p := range paths {
					s.add(strings.Split(p, "."))
				}
				return
			}
		}
		s.add(nil)
	default:
		s.add(nil)
	}
}

// modulesPathOf reads "${modulesPath}/rel" and modulesPath + "/rel".
func modulesPathOf(e lang.Expr) (string, bool) {
	switch x := e.(type) {
	case *lang.StrLit:
		if len(x.Parts) == 2 && x.Parts[1].Expr == nil {
			if id, ok := x.Parts[0].Expr.(*lang.Ident); ok && id.Name == "modulesPath" {
				return strings.TrimPrefix(x.Parts[1].Lit, "/"), true
			}
		}
	case *lang.BinOp:
		if id, ok := x.L.(*lang.Ident); ok && id.Name == "modulesPath" && x.Op == "+" {
			if s, ok := x.R.(*lang.StrLit); ok && len(s.Parts) == 1 && s.Parts[0].Expr == nil {
				return strings.TrimPrefix(s.Parts[0].Lit, "/"), true
			}
		}
	}
	return "", false
}

// imports screens an imports list.
func (s *Screen) imports(e lang.Expr, dir string) {
	switch x := e.(type) {
	case *lang.ListLit:
		for _, el := range x.Elems {
			s.Module(el, dir, nil)
		}
	case *lang.BinOp:
		if x.Op == "++" {
			s.imports(x.L, dir)
			s.imports(x.R, dir)
			return
		}
		s.add(nil)
	case *lang.LetExpr:
		s.imports(x.Body, dir)
	case *lang.WithExpr:
		s.imports(x.Body, dir)
	case *lang.IfExpr:
		s.imports(x.Then, dir)
		s.imports(x.Else, dir)
	case *lang.Apply:
		name, args := fnName(x)
		switch name {
		case "optional", "optionals", "optionalAttrs":
			if len(args) == 2 {
				if name == "optional" {
					s.Module(args[1], dir, nil)
				} else {
					s.imports(args[1], dir)
				}
				return
			}
		case "flatten", "concatLists":
			if len(args) == 1 {
				if l, ok := args[0].(*lang.ListLit); ok {
					for _, el := range l.Elems {
						s.imports(el, dir)
					}
					return
				}
			}
		}
		s.add(nil)
	default:
		s.add(nil)
	}
}

// keys turns attribute keys into a path, a computed one as "*".
func keys(ks []lang.AttrKey) []string {
	out := make([]string, len(ks))
	for i, k := range ks {
		if k.Dyn != nil {
			out[i] = Any
		} else {
			out[i] = k.Name
		}
	}
	return out
}

func join(a, b []string) []string {
	return append(append(make([]string, 0, len(a)+len(b)), a...), b...)
}

// config screens a definition of the config path prefix.
func (s *Screen) config(e lang.Expr, prefix []string, dir string) {
	if s.steps++; s.steps > maxSteps {
		s.add(nil)
		return
	}
	switch x := e.(type) {
	case nil:
	case *lang.AttrsLit:
		for _, b := range x.Binds {
			s.config(b.Value, join(prefix, keys(b.Path)), dir)
		}
		for _, in := range x.Inherits {
			for _, n := range in.Names {
				s.add(join(prefix, keys([]lang.AttrKey{n})))
			}
		}
	case *lang.LetExpr:
		s.config(x.Body, prefix, dir)
	case *lang.WithExpr:
		s.config(x.Body, prefix, dir)
	case *lang.AssertExpr:
		s.config(x.Body, prefix, dir)
	case *lang.IfExpr:
		s.config(x.Then, prefix, dir)
		s.config(x.Else, prefix, dir)
	case *lang.BinOp:
		if x.Op == "//" {
			s.config(x.L, prefix, dir)
			s.config(x.R, prefix, dir)
			return
		}
		s.add(prefix)
	case *lang.ListLit, *lang.StrLit, *lang.IntLit, *lang.FloatLit, *lang.PathLit, *lang.Lambda:
		s.add(prefix)
	case *lang.Apply:
		name, args := fnName(x)
		switch name {
		case "mkIf", "optionalAttrs", "mkDefault", "mkForce", "mkOverride", "mkBefore", "mkAfter", "mkOrder", "mkOptionDefault", "mkImageMediaOverride", "mkVMOverride":
			if len(args) >= 1 {
				s.config(args[len(args)-1], prefix, dir)
				return
			}
		case "mkMerge":
			if len(args) == 1 {
				if l, ok := args[0].(*lang.ListLit); ok {
					for _, el := range l.Elems {
						s.config(el, prefix, dir)
					}
					return
				}
			}
		case "import":
			// import ./file.nix args: the file's value (past its
			// functions and lets) defines what is below prefix.
			if len(args) >= 1 {
				if p, ok := args[0].(*lang.PathLit); ok {
					if f, ok := pathOf(p, dir); ok {
						if st, err := os.Stat(f); err == nil && st.IsDir() {
							f = filepath.Join(f, "default.nix")
						}
						key := "config:" + f + "@" + strings.Join(prefix, ".")
						if s.seen[key] {
							return
						}
						if e, err := s.load(f); err == nil {
							s.seen[key] = true
							s.config(peel(e), prefix, filepath.Dir(f))
							return
						}
					}
				}
			}
		case "recursiveUpdate":
			if len(args) == 2 {
				s.config(args[0], prefix, dir)
				s.config(args[1], prefix, dir)
				return
			}
		case "mapAttrs", "genAttrs":
			// Every name of the set, each value the function's body.
			if len(args) == 2 {
				f := args[0]
				if name == "genAttrs" {
					f = args[1]
				}
				if body, ok := lambdaBody(f, map[string]int{"mapAttrs": 2, "genAttrs": 1}[name]); ok {
					s.config(body, join(prefix, []string{Any}), dir)
					return
				}
			}
		}
		s.add(prefix)
	case *lang.Select:
		if n := len(x.Path); n > 0 && len(prefix) > 0 && x.Path[n-1].Dyn == nil && x.Path[n-1].Name == prefix[len(prefix)-1] && (s.Tree != "" || s.inTree) {
			if x.Default != nil && !empty(x.Default) {
				s.config(x.Default, prefix, dir)
			}
			if !s.inTree {
				s.below(prefix)
			}
			return
		}
		s.add(prefix)
	default:
		s.add(prefix)
	}
}

// empty: { } or [ ].
func empty(e lang.Expr) bool {
	switch x := e.(type) {
	case *lang.AttrsLit:
		return len(x.Binds) == 0 && len(x.Inherits) == 0
	case *lang.ListLit:
		return len(x.Elems) == 0
	}
	return false
}

// below adds, for a value at prefix that is the last name of prefix
// selected from a computed set, every path the files of s.Tree write
// below that name (a binding whose key path holds the name, its value
// screened from there); a file that cannot be read counts as anything.
func (s *Screen) below(prefix []string) {
	name := prefix[len(prefix)-1]
	base := prefix[:len(prefix)-1]
	sub := &Screen{load: s.load, NixOS: s.NixOS, seen: map[string]bool{}, inTree: true}
	var walk func(e lang.Expr, dir string)
	walk = func(e lang.Expr, dir string) {
		if e == nil || sub.steps > maxSteps {
			return
		}
		sub.steps++
		switch x := e.(type) {
		case *lang.AttrsLit:
			for _, b := range x.Binds {
				ks := keys(b.Path)
				if i := slices.Index(ks, name); i >= 0 {
					sub.config(b.Value, join(join(base, []string{name}), ks[i+1:]), dir)
				}
				walk(b.Value, dir)
			}
			for _, in := range x.Inherits {
				for _, n := range in.Names {
					if n.Dyn == nil && n.Name == name {
						sub.add(join(base, []string{name}))
					}
				}
			}
		case *lang.LetExpr:
			for _, b := range x.Binds {
				walk(b.Value, dir)
			}
			walk(x.Body, dir)
		case *lang.ListLit:
			for _, el := range x.Elems {
				walk(el, dir)
			}
		case *lang.WithExpr:
			walk(x.Env, dir)
			walk(x.Body, dir)
		case *lang.IfExpr:
			walk(x.Then, dir)
			walk(x.Else, dir)
		case *lang.AssertExpr:
			walk(x.Body, dir)
		case *lang.Lambda:
			walk(x.Body, dir)
		case *lang.Apply:
			walk(x.Fn, dir)
			walk(x.Arg, dir)
		case *lang.BinOp:
			walk(x.L, dir)
			walk(x.R, dir)
		case *lang.Select:
			walk(x.X, dir)
			walk(x.Default, dir)
		}
	}
	_ = filepath.WalkDir(s.Tree, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".nix") {
			return nil
		}
		e, err := s.load(p)
		if err != nil || e == nil {
			sub.add(join(base, []string{name}))
			return nil
		}
		walk(e, filepath.Dir(p))
		return nil
	})
	s.paths = append(s.paths, sub.paths...)
}

// peel is a file's value past the functions and lets around it.
func peel(e lang.Expr) lang.Expr {
	for {
		switch x := e.(type) {
		case *lang.Lambda:
			e = x.Body
		case *lang.LetExpr:
			e = x.Body
		default:
			return e
		}
	}
}

// lambdaBody is the body of a function of n arguments written literally.
func lambdaBody(e lang.Expr, n int) (lang.Expr, bool) {
	for i := 0; i < n; i++ {
		l, ok := e.(*lang.Lambda)
		if !ok {
			return nil, false
		}
		e = l.Body
	}
	return e, true
}

// Set screens a module's set as the evaluator made it, from the bindings
// its attributes were written in.
func (s *Screen) Set(x *lang.Attrs) {
	full := false
	for k := range x.M {
		if k == "config" || k == "options" {
			full = true
		}
	}
	for k, at := range x.M {
		switch k {
		case "_file", "key", "disabledModules", "meta", "_class", "options", "freeformType":
			continue
		}
		if at.Bind == nil || at.KeyIdx >= len(at.Bind.Path) {
			if k != "config" && full {
				continue
			}
			s.add(nil)
			continue
		}
		dir := ""
		if at.Bind.Sp.Src != nil {
			dir = filepath.Dir(at.Bind.Sp.Src.Path)
		}
		path := keys(at.Bind.Path[at.KeyIdx:])
		switch {
		case k == "imports" && len(path) == 1:
			s.imports(at.Bind.Value, dir)
		case full && k == "config":
			s.config(at.Bind.Value, path[1:], dir)
		case !full:
			s.config(at.Bind.Value, path, dir)
		}
	}
}

// Enclosing finds the set literal (or let) in root that holds binding b.
func Enclosing(root lang.Expr, b *lang.Binding) lang.Expr {
	var found lang.Expr
	var walk func(e lang.Expr)
	binds := func(bs []*lang.Binding) {
		for _, x := range bs {
			if found == nil {
				walk(x.Value)
			}
		}
	}
	walk = func(e lang.Expr) {
		if found != nil || e == nil {
			return
		}
		switch x := e.(type) {
		case *lang.AttrsLit:
			if slices.Contains(x.Binds, b) {
				found = x
				return
			}
			binds(x.Binds)
			for _, in := range x.Inherits {
				walk(in.From)
			}
		case *lang.LetExpr:
			binds(x.Binds)
			walk(x.Body)
		case *lang.ListLit:
			for _, el := range x.Elems {
				walk(el)
			}
		case *lang.StrLit:
			for _, p := range x.Parts {
				walk(p.Expr)
			}
		case *lang.PathLit:
			for _, p := range x.Parts {
				walk(p.Expr)
			}
		case *lang.WithExpr:
			walk(x.Env)
			walk(x.Body)
		case *lang.IfExpr:
			walk(x.Cond)
			walk(x.Then)
			walk(x.Else)
		case *lang.AssertExpr:
			walk(x.Cond)
			walk(x.Body)
		case *lang.Lambda:
			for _, f := range x.Formals {
				walk(f.Default)
			}
			walk(x.Body)
		case *lang.Apply:
			walk(x.Fn)
			walk(x.Arg)
		case *lang.Select:
			walk(x.X)
			walk(x.Default)
		case *lang.HasAttr:
			walk(x.X)
		case *lang.BinOp:
			walk(x.L)
			walk(x.R)
		case *lang.UnOp:
			walk(x.X)
		}
	}
	walk(root)
	return found
}
