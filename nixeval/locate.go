package nixeval

import (
	"path/filepath"
	"strings"

	"github.com/nixbuild-lint/nixbuild-lint/internal/treefs"
	"github.com/nixbuild-lint/nixbuild-lint/model"
	"github.com/nixbuild-lint/nixbuild-lint/nixeval/lang"
)

// locator finds where a file defines an option: the static locator behind
// --eval nix for hosts the static reader cannot read, given the files that
// Nix's definitionsWithLocations names.
type locator struct {
	root  string
	files map[string]lang.Expr
}

func newLocator(root string) *locator { return &locator{root: root, files: map[string]lang.Expr{}} }

// relative maps a file Nix names (the flake copied to the store as
// /nix/store/<hash>-source/…) back into the checked tree.
func (l *locator) relative(file string) string {
	if i := strings.Index(file, "-source/"); i >= 0 && strings.HasPrefix(file, "/nix/store/") {
		return file[i+len("-source/"):]
	}
	if rel, err := filepath.Rel(l.root, file); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return ""
}

func (l *locator) parse(rel string) lang.Expr {
	if e, ok := l.files[rel]; ok {
		return e
	}
	var e lang.Expr
	p := filepath.Join(l.root, filepath.FromSlash(rel))
	if data, err := treefs.ReadIn(l.root, p, MaxFileSize); err == nil {
		e, _ = lang.ParseSource(lang.NewSource(p, rel, data))
	}
	l.files[rel] = e
	return e
}

// find returns the binding that defines path in the file (directly,
// nested, or under config = …), and its value.
func (l *locator) find(rel string, path []string) (*lang.Binding, lang.Expr) {
	root := l.parse(rel)
	if root == nil {
		return nil, nil
	}
	var found *lang.Binding
	var visit func(e lang.Expr, prefix []string)
	visit = func(e lang.Expr, prefix []string) {
		if e == nil || found != nil {
			return
		}
		switch x := e.(type) {
		case *lang.AttrsLit:
			for _, b := range x.Binds {
				p := append(append([]string{}, prefix...), keyNames(b.Path)...)
				if equalPath(p, path) || len(p) > 0 && p[0] == "config" && equalPath(p[1:], path) {
					found = b
					return
				}
				visit(b.Value, p)
			}
		case *lang.Lambda:
			visit(x.Body, prefix)
		case *lang.LetExpr:
			visit(x.Body, prefix)
		case *lang.WithExpr:
			visit(x.Body, prefix)
		case *lang.IfExpr:
			visit(x.Then, prefix)
			visit(x.Else, prefix)
		case *lang.Apply:
			visit(x.Arg, prefix)
			visit(x.Fn, prefix)
		case *lang.ListLit:
			for _, el := range x.Elems {
				visit(el, prefix)
			}
		case *lang.BinOp:
			visit(x.L, prefix)
			visit(x.R, prefix)
		}
	}
	visit(root, nil)
	if found == nil {
		return nil, nil
	}
	return found, found.Value
}

func keyNames(keys []lang.AttrKey) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k.Name
		if k.Dyn != nil {
			out[i] = "\x00dynamic"
		}
	}
	return out
}

func equalPath(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// placeHost builds the positions of a host only Nix could read, from the
// files that define its options.
func (l *locator) placeHost(locations map[string][]string) *model.Host {
	base := &model.Host{Defs: map[string][]model.Def{}, Files: []string{}}
	seen := map[string]bool{}
	at := func(option string) (model.Loc, lang.Expr) {
		for _, f := range locations[option] {
			rel := l.relative(f)
			if rel == "" {
				continue
			}
			if !seen[rel] {
				seen[rel] = true
				base.Files = append(base.Files, rel)
			}
			if b, v := l.find(rel, strings.Split(option, ".")); b != nil {
				return b.Sp.Loc(), v
			}
		}
		return model.Loc{}, nil
	}
	base.HostName.At, _ = at("networking.hostName")
	base.System.At, _ = at("nixpkgs.hostPlatform")
	base.Emulated.At, _ = at("boot.binfmt.emulatedSystems")
	base.MaxJobs.At, _ = at("nix.settings.max-jobs")
	base.Distribute.At, _ = at("nix.distributedBuilds")
	base.Trusted.At, _ = at("nix.settings.trusted-users")
	base.Features.At, _ = at("nix.settings.system-features")
	base.SSHD.Enable.At, _ = at("services.openssh.enable")
	var machines lang.Expr
	base.Machines.At, machines = at("nix.buildMachines")
	if list, ok := machines.(*lang.ListLit); ok {
		for i, el := range list.Elems {
			m := &model.Machine{Index: i, At: el.Span().Loc()}
			fields := map[string]*model.Loc{
				"hostName": &m.HostName.At, "systems": &m.Systems.At, "system": &m.System.At, "sshUser": &m.SSHUser.At,
				"sshKey": &m.SSHKey.At, "maxJobs": &m.MaxJobs.At, "speedFactor": &m.SpeedFactor.At, "protocol": &m.Protocol.At,
				"supportedFeatures": &m.SupportedFeatures.At, "mandatoryFeatures": &m.MandatoryFeatures.At, "publicHostKey": &m.PublicHostKey.At,
			}
			if set, ok := el.(*lang.AttrsLit); ok {
				for _, b := range set.Binds {
					if len(b.Path) != 1 || fields[b.Path[0].Name] == nil {
						continue
					}
					*fields[b.Path[0].Name] = b.Value.Span().Loc()
					// A systems list is placed element by element.
					if sl, ok := b.Value.(*lang.ListLit); ok && b.Path[0].Name == "systems" {
						for _, s := range sl.Elems {
							m.Systems.Items = append(m.Systems.Items, s.Span().Loc())
							if str, ok := s.(*lang.StrLit); ok && len(str.Parts) == 1 {
								m.Systems.V = append(m.Systems.V, str.Parts[0].Lit)
							}
						}
					}
				}
			}
			base.Machines.Entries = append(base.Machines.Entries, m)
		}
	}
	if len(base.Files) > 0 {
		base.MainFile = base.Files[0]
	}
	return base
}
