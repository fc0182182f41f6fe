package modsys

import (
	"slices"
	"strings"

	"github.com/nixbuild-lint/nixbuild-lint/nixeval/lang"
)

// deferredModule tells the flake-level paths whose values are modules that
// merge every definition (flake-parts declares them deferredModule):
// flake.{nixos,darwin,homeManager}Modules.<n> and flake.modules.<class>.<n>.
func deferredModule(path []string) bool {
	if len(path) == 3 && path[0] == "flake" && strings.HasSuffix(path[1], "Modules") {
		return true
	}
	return len(path) == 4 && path[0] == "flake" && path[1] == "modules"
}

// mergedModule is the module a deferred option stands for: one that imports
// each of its definitions, in module order.
func (h *Host) mergedModule(path []string) lang.Value {
	var elems []*lang.Thunk
	for _, l := range h.Leaves(path) {
		if l.Cond == CondFalse {
			continue
		}
		elems = append(elems, l.T)
	}
	if len(elems) == 1 {
		return h.Ev.Force(elems[0])
	}
	if h.Kind == "flake" {
		// flake-parts' mkFlake (the model) collects the flake modules in
		// another order than Nix gives definitions there: sibling flake
		// modules defining flake.nixosModules.<n> (parts/ssh.nix,
		// parts/builders.nix) are defined in import order, as Nix 2.8
		// gives them on the real flake-parts.
		slices.Reverse(elems)
	}
	m := lang.NewAttrs()
	m.Set("imports", &lang.List{Elems: elems})
	return m
}

// TypesStandIn is lib.types. The reader models only the types whose
// structure decides how definitions merge into values: submodules (alone, or in attrsOf,
// lazyAttrsOf) evaluate their definitions as a module system of their own,
// with the type's modules and the `name` argument. Every other type is a
// value with its name, and type functions (enum, either, …) return one.
//
// Lib, when set, is the lib the types belong to: a name of that lib that
// is no type (optionalAttrs, mkIf, …) is not in lib.types, as in nixpkgs,
// so that a module's `with lib; with lib.types;` finds lib's function
// (before, the name was an unknown option type and the module stopped:
// sops-nix's templates module, `optionalAttrs` under `with lib.types`).
type TypesStandIn struct{ Lib *LibNames }

// LibNames are the names of a lib, read once it is evaluated.
type LibNames struct {
	Ev  *lang.Evaluator
	Lib *lang.Thunk
	m   map[string]bool
}

// typeHelpers are the names nixpkgs' lib.types shares with lib.
var typeHelpers = map[string]bool{"isType": true, "setType": true, "mkOptionType": true, "isOptionType": true, "defaultTypeMerge": true, "defaultFunctor": true}

// notType reports whether name is a function of the lib and no type; the
// lib must be evaluated already (while it is, nothing is claimed).
func (l *LibNames) notType(name string) bool {
	if l == nil || l.Lib == nil || typeHelpers[name] {
		return false
	}
	if l.m == nil {
		if !l.Lib.Final() {
			return false
		}
		lib, ok := l.Ev.Force(l.Lib).(*lang.Attrs)
		if !ok {
			return false
		}
		names, ok := lib.Names()
		if !ok {
			return false
		}
		l.m = map[string]bool{}
		for _, n := range names {
			l.m[n] = true
		}
	}
	return l.m[name]
}

func optionType(name string, nested *lang.Thunk, modules *lang.Thunk) *lang.Attrs {
	t := lang.NewAttrs()
	t.Set("_type", lang.StrV("option-type"))
	t.Set("name", lang.StrV(name))
	if nested != nil {
		t.SetThunk("nestedType", nested)
	}
	if modules != nil {
		t.SetThunk("modules", modules)
	}
	return t
}

// Get is the type (or type function) name.
func (t TypesStandIn) Get(name string) (*lang.Attr, bool) {
	v := lang.Value(nil)
	switch name {
	case "submodule":
		v = lang.NewPrim(name, 1, func(ev *lang.Evaluator, a []*lang.Thunk) lang.Value {
			// types.submodule takes a module or a list of them (toList).
			if l, ok := ev.Force(a[0]).(*lang.List); ok {
				return optionType("submodule", nil, lang.ValThunk(l))
			}
			return optionType("submodule", nil, lang.ValThunk(&lang.List{Elems: []*lang.Thunk{a[0]}}))
		})
	case "submoduleWith":
		v = lang.NewPrim(name, 1, func(ev *lang.Evaluator, a []*lang.Thunk) lang.Value {
			mods := lang.ValThunk(&lang.List{})
			if s, ok := ev.Force(a[0]).(*lang.Attrs); ok {
				if m, ok := s.Get("modules"); ok {
					mods = m.T
				}
			}
			return optionType("submodule", nil, mods)
		})
	case "attrsOf", "lazyAttrsOf", "listOf", "nullOr", "uniq", "unique", "functionTo":
		v = lang.NewPrim(name, 1, func(ev *lang.Evaluator, a []*lang.Thunk) lang.Value { return optionType(name, a[0], nil) })
	case "enum", "oneOf", "strMatching", "separatedString":
		v = lang.NewPrim(name, 1, func(ev *lang.Evaluator, a []*lang.Thunk) lang.Value { return optionType(name, nil, nil) })
	case "either", "addCheck":
		v = lang.NewPrim(name, 2, func(ev *lang.Evaluator, a []*lang.Thunk) lang.Value { return optionType(name, nil, nil) })
	case "coercedTo": // coercedTo fromType coerce toType
		v = lang.NewPrim(name, 3, func(ev *lang.Evaluator, a []*lang.Thunk) lang.Value {
			t := optionType(name, a[2], nil)
			t.SetThunk("coerce", a[1])
			return t
		})
	case "str", "bool", "int", "float", "number", "path", "package", "unspecified", "anything", "raw",
		"lines", "attrs", "port", "nonEmptyStr", "singleLineStr", "deferredModule", "listOfStrings",
		"commas", "envVar", "pathInStore", "externalPath", "shellPackage", "nonEmptyListOf", "luaInline", "json":
		v = optionType(name, nil, nil)
	case "ints", "numbers":
		v = &lang.Attrs{Dyn: TypesStandIn{}}
	}
	if v == nil && t.Lib.notType(name) {
		return nil, false
	}
	if v == nil {
		return &lang.Attr{T: lang.ValThunk(&lang.Unknown{Why: "option type " + name})}, true
	}
	return &lang.Attr{T: lang.ValThunk(v)}, true
}

// Names cannot be listed.
func (TypesStandIn) Names() ([]string, bool) { return nil, false }

// subType is an option type whose values are submodules.
type subType struct {
	modules *lang.Thunk
	perName bool        // a set of submodules (attrsOf), not one
	coerce  *lang.Thunk // coercedTo's function, for definitions that are not modules
}

// submoduleType reads an option type: the modules of a submodule, whether
// its values are a set of submodules (attrsOf) or one, and the coercion of
// a coercedTo type.
func submoduleType(ev *lang.Evaluator, t lang.Value) (st subType, ok bool) {
	a, isSet := t.(*lang.Attrs)
	if !isSet || !listed(a) {
		return subType{}, false
	}
	a = plain(a)
	name, _ := a.M["name"]
	if name == nil {
		return subType{}, false
	}
	n, _ := ev.Force(name.T).(*lang.Str)
	if n == nil {
		return subType{}, false
	}
	switch n.S {
	case "submodule":
		if m, ok := a.M["modules"]; ok {
			return subType{modules: m.T}, true
		}
	case "attrsOf", "lazyAttrsOf":
		if nt, ok := a.M["nestedType"]; ok {
			if st, ok := submoduleType(ev, ev.Force(nt.T)); ok && !st.perName {
				st.perName = true
				return st, true
			}
		}
	case "coercedTo":
		nt, ok1 := a.M["nestedType"]
		c, ok2 := a.M["coerce"]
		if ok1 && ok2 {
			if st, ok := submoduleType(ev, ev.Force(nt.T)); ok && !st.perName && st.coerce == nil {
				st.coerce = c.T
				return st, true
			}
		}
	}
	return subType{}, false
}

// submoduleAt finds a declared submodule option that path is in: the
// submodule's own evaluation and the rest of the path inside it.
func (h *Host) submoduleAt(path []string) (*Host, []string) {
	for i := 1; i <= len(path); i++ {
		decl, under := h.declLookup(path[:i])
		if decl == nil {
			if !under {
				return nil, nil
			}
			continue
		}
		tt, ok := decl.M["type"]
		if !ok {
			return nil, nil
		}
		st, ok := submoduleType(h.Ev, h.Ev.Force(tt.T))
		if !ok {
			return nil, nil
		}
		at := i
		if st.perName {
			if i == len(path) {
				return nil, nil // the set of submodules itself: a config node
			}
			at = i + 1
		}
		return h.Submodule(path[:at], st.modules, st.coerce), path[at:]
	}
	return nil, nil
}

// Submodule evaluates the definitions of one Submodule value; coerce (of
// a coercedTo type) turns a definition that is a string or a path into a
// module first.
func (h *Host) Submodule(path []string, mods, coerce *lang.Thunk) *Host {
	key := pathKey(path)
	if s, ok := h.subs[key]; ok {
		return s
	}
	ev := h.Ev
	list := &lang.List{}
	if l, ok := ev.Force(mods).(*lang.List); ok {
		list.Elems = append(list.Elems, l.Elems...)
	}
	for _, l := range h.Leaves(path) {
		if l.Cond == CondFalse {
			continue
		}
		def := l.T
		if coerce != nil {
			def = lang.Lazy(func() lang.Value {
				switch v := ev.Force(l.T).(type) {
				case *lang.Str, *lang.Path:
					return ev.Call(ev.Force(coerce), lang.ValThunk(v), l.T.Span())
				default:
					return v
				}
			})
		}
		list.Elems = append(list.Elems, def)
	}
	args := lang.NewAttrs()
	args.Set("modules", list)
	special := lang.NewAttrs()
	if names, ok := h.Special.Names(); ok {
		for _, n := range names {
			special.M[n], _ = h.Special.Get(n)
		}
	}
	special.Set("name", lang.StrV(path[len(path)-1]))
	args.Set("specialArgs", special)
	s := NewHost(ev, lang.ValThunk(args), h.At, "submodule")
	h.subs[key] = s
	return s
}
