package extract

import (
	"path/filepath"
	"sort"
	"strings"

	"github.com/nixbuild-lint/nixbuild-lint/model"
	"github.com/nixbuild-lint/nixbuild-lint/nixeval/lang"
	"github.com/nixbuild-lint/nixbuild-lint/nixeval/modsys"
	"github.com/nixbuild-lint/nixbuild-lint/nixeval/screen"
)

// inputModules says how each module from outside the tree was handled:
// read from the store, screened from its source (the evaluator stopped in
// it), known from the shipped table, or unknown (it may define anything).
func inputModules(h *modsys.Host) []model.InputModule {
	var out []model.InputModule
	for _, src := range h.StoreFiles() {
		out = append(out, model.InputModule{Module: storeName(src), How: model.ReadFromStore, Defines: []string{}})
	}
	tab := screen.Shipped()
	for _, u := range h.UnreadModules() {
		m := model.InputModule{Note: u.Note, Why: u.Why, How: model.NotKnown, Defines: []string{screen.Any}}
		m.Module = u.Note // a note without a place (modsys.note)
		if u.Note != u.Why {
			m.Where, m.Module, _ = strings.Cut(u.Note, ": ")
		}
		switch {
		case u.Input != "":
			if d, rev, ok := tab.Input(u.URL, u.Input, u.Name); ok {
				m.How, m.Defines, m.Rev = model.FromTable, screen.Relevant(d), rev
			}
		case u.NixOS != "":
			if d, ok := tab.NixOSModule(u.NixOS); ok {
				m.How, m.Defines, m.Rev = model.FromTable, screen.Relevant(d), tab.NixOSRev(u.NixOS)
			}
		case u.Expr != nil:
			s := newScreen(h)
			s.Module(u.Expr, u.Dir, nil)
			m.How, m.Defines = model.Screened, screen.Relevant(s.Paths())
		case u.Attrs != nil:
			m.How, m.Defines = model.Screened, screenSet(h, u.Attrs)
			if u.Src != nil {
				m.Module = storeName(u.Src)
			}
		}
		out = append(out, m)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Note < out[j].Note })
	return out
}

func newScreen(h *modsys.Host) *screen.Screen {
	s := screen.New(func(p string) (lang.Expr, error) {
		e, _, err := h.Ev.Loader().Load(h.Ev.Loader().ResolveImport(p), lang.Span{})
		return e, err
	})
	s.NixOS = screen.Shipped().NixOSModule
	return s
}

// screenSet screens a module whose set the evaluator made but could not
// finish: the set literal its bindings are written in, else the bindings.
func screenSet(h *modsys.Host, x *lang.Attrs) []string {
	s := newScreen(h)
	for _, at := range x.M {
		if at.Bind == nil || at.Bind.Sp.Src == nil {
			continue
		}
		src := at.Bind.Sp.Src
		root, _, err := h.Ev.Loader().Load(src.Path, lang.Span{})
		if err != nil {
			break
		}
		if set := screen.Enclosing(root, at.Bind); set != nil {
			s.Module(set, filepath.Dir(src.Path), nil)
			return screen.Relevant(s.Paths())
		}
		break
	}
	s.Set(x)
	return screen.Relevant(s.Paths())
}

// storeName names a file of an input read from the store.
func storeName(src *lang.Source) string {
	if src.Input != "" {
		return "module of flake input " + src.Input + " (" + src.InputPath + ")"
	}
	return "module from the store (" + src.Rel + ")"
}
