package lang

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// NewPrim is a builtin function of arity arguments.
func NewPrim(name string, arity int, fn func(ev *Evaluator, a []*Thunk) Value) *Prim {
	return &Prim{Name: name, Arity: arity, Fn: fn}
}

func unknownArg(name string, vs ...Value) Value {
	for _, v := range vs {
		if u, ok := v.(*Unknown); ok {
			return u
		}
	}
	return &Unknown{Why: name + ": argument of the wrong type"}
}

func (ev *Evaluator) str(t *Thunk) (string, Value) {
	v := ev.Force(t)
	if s, ok := v.(*Str); ok {
		return s.S, nil
	}
	return "", unknownArg("string", v)
}

// ForceList forces t as a list; when it is not one, the second result is
// the unknown value to return instead.
func (ev *Evaluator) ForceList(t *Thunk) (*List, Value) {
	v := ev.Force(t)
	if l, ok := v.(*List); ok {
		return l, nil
	}
	return nil, unknownArg("list", v)
}

// ForceAttrs forces t as a set; when it is not one, the second result is
// the unknown value to return instead.
func (ev *Evaluator) ForceAttrs(t *Thunk) (*Attrs, Value) {
	v := ev.Force(t)
	if a, ok := v.(*Attrs); ok {
		return a, nil
	}
	return nil, unknownArg("set", v)
}

func (ev *Evaluator) boolOf(v Value) (bool, Value) {
	if b, ok := v.(Bool); ok {
		return b.B, nil
	}
	return false, unknownArg("bool", v)
}

// StrV is a plain string value.
func StrV(s string) *Str { return &Str{S: s} }

// ListOf is a list of the given values.
func ListOf(vs ...Value) *List {
	l := &List{Elems: make([]*Thunk, len(vs))}
	for i, v := range vs {
		l.Elems[i] = ValThunk(v)
	}
	return l
}

func (ev *Evaluator) apply1(f *Thunk, x *Thunk) *Thunk {
	return Lazy(func() Value { return ev.Call(ev.Force(f), x, Span{}) })
}

// Apply2 is the (lazy) application f x y.
func (ev *Evaluator) Apply2(f *Thunk, x, y *Thunk) *Thunk {
	return Lazy(func() Value {
		return ev.Call(ev.Call(ev.Force(f), x, Span{}), y, Span{})
	})
}

func (ev *Evaluator) builtins() *Attrs {
	b := NewAttrs()
	add := func(p *Prim) { b.Set(p.Name, p) }
	add(NewPrim("map", 2, func(ev *Evaluator, a []*Thunk) Value {
		l, bad := ev.ForceList(a[1])
		if bad != nil {
			return bad
		}
		out := &List{Elems: make([]*Thunk, len(l.Elems))}
		for i, e := range l.Elems {
			out.Elems[i] = ev.apply1(a[0], e)
		}
		return out
	}))
	add(NewPrim("filter", 2, func(ev *Evaluator, a []*Thunk) Value {
		l, bad := ev.ForceList(a[1])
		if bad != nil {
			return bad
		}
		out := &List{}
		for _, e := range l.Elems {
			keep, bad := ev.boolOf(ev.Force(ev.apply1(a[0], e)))
			if bad != nil {
				return bad
			}
			if keep {
				out.Elems = append(out.Elems, e)
			}
		}
		return out
	}))
	add(NewPrim("attrNames", 1, func(ev *Evaluator, a []*Thunk) Value {
		s, bad := ev.ForceAttrs(a[0])
		if bad != nil {
			return bad
		}
		names, ok := s.Names()
		if !ok {
			return &Unknown{Why: "attribute names cannot be listed"}
		}
		out := &List{}
		for _, n := range names {
			out.Elems = append(out.Elems, ValThunk(StrV(n)))
		}
		return out
	}))
	add(NewPrim("attrValues", 1, func(ev *Evaluator, a []*Thunk) Value {
		s, bad := ev.ForceAttrs(a[0])
		if bad != nil {
			return bad
		}
		names, ok := s.Names()
		if !ok {
			return &Unknown{Why: "attribute names cannot be listed"}
		}
		out := &List{}
		for _, n := range names {
			at, _ := s.Get(n)
			out.Elems = append(out.Elems, at.T)
		}
		return out
	}))
	add(NewPrim("mapAttrs", 2, func(ev *Evaluator, a []*Thunk) Value {
		s, bad := ev.ForceAttrs(a[1])
		if bad != nil {
			return bad
		}
		names, ok := s.Names()
		if !ok {
			return &Unknown{Why: "attribute names cannot be listed"}
		}
		out := NewAttrs()
		for _, n := range names {
			at, _ := s.Get(n)
			out.M[n] = &Attr{T: ev.Apply2(a[0], ValThunk(StrV(n)), at.T), Bind: at.Bind, KeyIdx: at.KeyIdx}
		}
		return out
	}))
	add(NewPrim("listToAttrs", 1, func(ev *Evaluator, a []*Thunk) Value {
		l, bad := ev.ForceList(a[0])
		if bad != nil {
			return bad
		}
		out := NewAttrs()
		for _, e := range l.Elems {
			nv, bad := ev.ForceAttrs(e)
			if bad != nil {
				return bad
			}
			nt, ok1 := nv.Get("name")
			vt, ok2 := nv.Get("value")
			if !ok1 || !ok2 {
				return &Unknown{Why: "listToAttrs: element without name or value"}
			}
			name, bad := ev.str(nt.T)
			if bad != nil {
				return bad
			}
			if _, dup := out.M[name]; !dup {
				out.M[name] = &Attr{T: vt.T}
			}
		}
		return out
	}))
	add(NewPrim("hasAttr", 2, func(ev *Evaluator, a []*Thunk) Value {
		n, bad := ev.str(a[0])
		if bad != nil {
			return bad
		}
		s, bad := ev.ForceAttrs(a[1])
		if bad != nil {
			return bad
		}
		_, ok := s.Get(n)
		return Bool{ok}
	}))
	add(NewPrim("getAttr", 2, func(ev *Evaluator, a []*Thunk) Value {
		n, bad := ev.str(a[0])
		if bad != nil {
			return bad
		}
		return ev.SelectName(ev.Force(a[1]), n, Span{})
	}))
	add(NewPrim("removeAttrs", 2, func(ev *Evaluator, a []*Thunk) Value {
		s, bad := ev.ForceAttrs(a[0])
		if bad != nil {
			return bad
		}
		l, bad := ev.ForceList(a[1])
		if bad != nil {
			return bad
		}
		names, ok := s.Names()
		if !ok {
			return &Unknown{Why: "attribute names cannot be listed"}
		}
		drop := map[string]bool{}
		for _, e := range l.Elems {
			n, bad := ev.str(e)
			if bad != nil {
				return bad
			}
			drop[n] = true
		}
		out := NewAttrs()
		for _, n := range names {
			if !drop[n] {
				out.M[n], _ = s.Get(n)
			}
		}
		return out
	}))
	add(NewPrim("intersectAttrs", 2, func(ev *Evaluator, a []*Thunk) Value {
		x, bad := ev.ForceAttrs(a[0])
		if bad != nil {
			return bad
		}
		y, bad := ev.ForceAttrs(a[1])
		if bad != nil {
			return bad
		}
		names, ok := y.Names()
		if !ok {
			return &Unknown{Why: "attribute names cannot be listed"}
		}
		out := NewAttrs()
		for _, n := range names {
			if _, ok := x.Get(n); ok {
				out.M[n], _ = y.Get(n)
			}
		}
		return out
	}))
	add(NewPrim("catAttrs", 2, func(ev *Evaluator, a []*Thunk) Value {
		n, bad := ev.str(a[0])
		if bad != nil {
			return bad
		}
		l, bad := ev.ForceList(a[1])
		if bad != nil {
			return bad
		}
		out := &List{}
		for _, e := range l.Elems {
			s, bad := ev.ForceAttrs(e)
			if bad != nil {
				return bad
			}
			if at, ok := s.Get(n); ok {
				out.Elems = append(out.Elems, at.T)
			}
		}
		return out
	}))
	add(NewPrim("length", 1, func(ev *Evaluator, a []*Thunk) Value {
		l, bad := ev.ForceList(a[0])
		if bad != nil {
			return bad
		}
		return Int{int64(len(l.Elems))}
	}))
	add(NewPrim("head", 1, func(ev *Evaluator, a []*Thunk) Value {
		l, bad := ev.ForceList(a[0])
		if bad != nil {
			return bad
		}
		if len(l.Elems) == 0 {
			return &Unknown{Why: "head of an empty list"}
		}
		return ev.Force(l.Elems[0])
	}))
	add(NewPrim("tail", 1, func(ev *Evaluator, a []*Thunk) Value {
		l, bad := ev.ForceList(a[0])
		if bad != nil {
			return bad
		}
		if len(l.Elems) == 0 {
			return &Unknown{Why: "tail of an empty list"}
		}
		return &List{Elems: l.Elems[1:]}
	}))
	add(NewPrim("elemAt", 2, func(ev *Evaluator, a []*Thunk) Value {
		l, bad := ev.ForceList(a[0])
		if bad != nil {
			return bad
		}
		i, ok := ev.Force(a[1]).(Int)
		if !ok || i.I < 0 || int(i.I) >= len(l.Elems) {
			return &Unknown{Why: "elemAt out of range"}
		}
		return ev.Force(l.Elems[i.I])
	}))
	add(NewPrim("elem", 2, func(ev *Evaluator, a []*Thunk) Value {
		l, bad := ev.ForceList(a[1])
		if bad != nil {
			return bad
		}
		x := ev.Force(a[0])
		unknown := false
		for _, e := range l.Elems {
			eq, known := ev.Equal(x, ev.Force(e))
			if known && eq {
				return Bool{true}
			}
			if !known {
				unknown = true
			}
		}
		if unknown {
			return &Unknown{Why: "elem over unknown values"}
		}
		return Bool{false}
	}))
	add(NewPrim("concatLists", 1, func(ev *Evaluator, a []*Thunk) Value {
		l, bad := ev.ForceList(a[0])
		if bad != nil {
			return bad
		}
		out := &List{}
		for _, e := range l.Elems {
			el, bad := ev.ForceList(e)
			if bad != nil {
				return bad
			}
			out.Elems = append(out.Elems, el.Elems...)
		}
		return out
	}))
	add(NewPrim("concatMap", 2, func(ev *Evaluator, a []*Thunk) Value {
		l, bad := ev.ForceList(a[1])
		if bad != nil {
			return bad
		}
		out := &List{}
		for _, e := range l.Elems {
			el, bad := ev.ForceList(ev.apply1(a[0], e))
			if bad != nil {
				return bad
			}
			out.Elems = append(out.Elems, el.Elems...)
		}
		return out
	}))
	add(NewPrim("genList", 2, func(ev *Evaluator, a []*Thunk) Value {
		n, ok := ev.Force(a[1]).(Int)
		if !ok || n.I < 0 || n.I > 100000 {
			return &Unknown{Why: "genList length"}
		}
		out := &List{}
		for i := int64(0); i < n.I; i++ {
			out.Elems = append(out.Elems, ev.apply1(a[0], ValThunk(Int{i})))
		}
		return out
	}))
	add(NewPrim("foldl'", 3, func(ev *Evaluator, a []*Thunk) Value {
		l, bad := ev.ForceList(a[2])
		if bad != nil {
			return bad
		}
		acc := a[1]
		for _, e := range l.Elems {
			acc = ValThunk(ev.Force(ev.Apply2(a[0], acc, e)))
		}
		return ev.Force(acc)
	}))
	add(NewPrim("any", 2, func(ev *Evaluator, a []*Thunk) Value { return ev.anyAll(a, true) }))
	add(NewPrim("all", 2, func(ev *Evaluator, a []*Thunk) Value { return ev.anyAll(a, false) }))
	add(NewPrim("sort", 2, func(ev *Evaluator, a []*Thunk) Value {
		l, bad := ev.ForceList(a[1])
		if bad != nil {
			return bad
		}
		out := append([]*Thunk(nil), l.Elems...)
		failed := false
		sort.SliceStable(out, func(i, j int) bool {
			b, bad := ev.boolOf(ev.Force(ev.Apply2(a[0], out[i], out[j])))
			if bad != nil {
				failed = true
			}
			return b
		})
		if failed {
			return &Unknown{Why: "sort comparator"}
		}
		return &List{Elems: out}
	}))
	add(NewPrim("partition", 2, func(ev *Evaluator, a []*Thunk) Value {
		l, bad := ev.ForceList(a[1])
		if bad != nil {
			return bad
		}
		right, wrong := &List{}, &List{}
		for _, e := range l.Elems {
			b, bad := ev.boolOf(ev.Force(ev.apply1(a[0], e)))
			if bad != nil {
				return bad
			}
			if b {
				right.Elems = append(right.Elems, e)
			} else {
				wrong.Elems = append(wrong.Elems, e)
			}
		}
		out := NewAttrs()
		out.Set("right", right)
		out.Set("wrong", wrong)
		return out
	}))
	add(NewPrim("groupBy", 2, func(ev *Evaluator, a []*Thunk) Value {
		l, bad := ev.ForceList(a[1])
		if bad != nil {
			return bad
		}
		groups := map[string]*List{}
		for _, e := range l.Elems {
			k, bad := ev.str(ev.apply1(a[0], e))
			if bad != nil {
				return bad
			}
			if groups[k] == nil {
				groups[k] = &List{}
			}
			groups[k].Elems = append(groups[k].Elems, e)
		}
		out := NewAttrs()
		for k, g := range groups {
			out.Set(k, g)
		}
		return out
	}))
	add(NewPrim("toString", 1, func(ev *Evaluator, a []*Thunk) Value {
		v := ev.Force(a[0])
		if p, ok := v.(*Path); ok {
			// The path's name, still naming it (toString modulesPath).
			return &Str{S: p.P, At: p.At, Path: p}
		}
		s, ok := ev.coerce(v, false)
		if !ok {
			return unknownArg("toString", v)
		}
		return StrV(s)
	}))
	add(NewPrim("concatStringsSep", 2, func(ev *Evaluator, a []*Thunk) Value {
		sep, bad := ev.str(a[0])
		if bad != nil {
			return bad
		}
		l, bad := ev.ForceList(a[1])
		if bad != nil {
			return bad
		}
		parts := make([]string, 0, len(l.Elems))
		for _, e := range l.Elems {
			v := ev.Force(e)
			s, ok := ev.coerce(v, true)
			if !ok {
				return unknownArg("concatStringsSep", v)
			}
			parts = append(parts, s)
		}
		return StrV(strings.Join(parts, sep))
	}))
	add(NewPrim("stringLength", 1, func(ev *Evaluator, a []*Thunk) Value {
		s, bad := ev.str(a[0])
		if bad != nil {
			return bad
		}
		return Int{int64(len(s))}
	}))
	add(NewPrim("substring", 3, func(ev *Evaluator, a []*Thunk) Value {
		st, ok1 := ev.Force(a[0]).(Int)
		ln, ok2 := ev.Force(a[1]).(Int)
		s, bad := ev.str(a[2])
		if bad != nil || !ok1 || !ok2 || st.I < 0 {
			return unknownArg("substring", bad)
		}
		if int(st.I) >= len(s) {
			return StrV("")
		}
		end := len(s)
		if ln.I >= 0 && int(st.I+ln.I) < end {
			end = int(st.I + ln.I)
		}
		return StrV(s[st.I:end])
	}))
	add(NewPrim("replaceStrings", 3, func(ev *Evaluator, a []*Thunk) Value {
		from, bad := ev.ForceList(a[0])
		if bad != nil {
			return bad
		}
		to, bad := ev.ForceList(a[1])
		if bad != nil {
			return bad
		}
		s, bad := ev.str(a[2])
		if bad != nil {
			return bad
		}
		if len(from.Elems) != len(to.Elems) {
			return &Unknown{Why: "replaceStrings lists differ in length"}
		}
		var pairs []string
		for i := range from.Elems {
			f, bad := ev.str(from.Elems[i])
			if bad != nil {
				return bad
			}
			t, bad := ev.str(to.Elems[i])
			if bad != nil {
				return bad
			}
			pairs = append(pairs, f, t)
		}
		return StrV(strings.NewReplacer(pairs...).Replace(s))
	}))
	add(NewPrim("match", 2, func(ev *Evaluator, a []*Thunk) Value {
		re, bad := ev.str(a[0])
		if bad != nil {
			return bad
		}
		s, bad := ev.str(a[1])
		if bad != nil {
			return bad
		}
		rx, err := regexp.Compile("^(?:" + re + ")$")
		if err != nil {
			return &Unknown{Why: "regex not supported: " + re}
		}
		m := rx.FindStringSubmatchIndex(s)
		if m == nil {
			return Null{}
		}
		out := &List{}
		for i := 2; i < len(m); i += 2 {
			if m[i] < 0 {
				out.Elems = append(out.Elems, ValThunk(Null{}))
			} else {
				out.Elems = append(out.Elems, ValThunk(StrV(s[m[i]:m[i+1]])))
			}
		}
		return out
	}))
	add(NewPrim("split", 2, func(ev *Evaluator, a []*Thunk) Value {
		re, bad := ev.str(a[0])
		if bad != nil {
			return bad
		}
		s, bad := ev.str(a[1])
		if bad != nil {
			return bad
		}
		rx, err := regexp.Compile(re)
		if err != nil {
			return &Unknown{Why: "regex not supported: " + re}
		}
		out := &List{}
		prev := 0
		for _, m := range rx.FindAllStringSubmatchIndex(s, -1) {
			out.Elems = append(out.Elems, ValThunk(StrV(s[prev:m[0]])))
			groups := &List{}
			for i := 2; i < len(m); i += 2 {
				if m[i] < 0 {
					groups.Elems = append(groups.Elems, ValThunk(Null{}))
				} else {
					groups.Elems = append(groups.Elems, ValThunk(StrV(s[m[i]:m[i+1]])))
				}
			}
			out.Elems = append(out.Elems, ValThunk(groups))
			prev = m[1]
		}
		out.Elems = append(out.Elems, ValThunk(StrV(s[prev:])))
		return out
	}))
	add(NewPrim("baseNameOf", 1, func(ev *Evaluator, a []*Thunk) Value {
		v := ev.Force(a[0])
		s, ok := ev.coerce(v, false)
		if !ok {
			return unknownArg("baseNameOf", v)
		}
		return StrV(filepath.Base(strings.TrimSuffix(s, "/")))
	}))
	add(NewPrim("dirOf", 1, func(ev *Evaluator, a []*Thunk) Value {
		v := ev.Force(a[0])
		if p, ok := v.(*Path); ok {
			return &Path{P: filepath.Dir(p.P), Virtual: p.Virtual}
		}
		s, ok := ev.coerce(v, false)
		if !ok {
			return unknownArg("dirOf", v)
		}
		return StrV(filepath.Dir(s))
	}))
	typeCheck := func(name, kind string) {
		add(NewPrim(name, 1, func(ev *Evaluator, a []*Thunk) Value {
			v := ev.Force(a[0])
			if u, ok := v.(*Unknown); ok {
				return u
			}
			return Bool{v.Kind() == kind}
		}))
	}
	typeCheck("isAttrs", "set")
	typeCheck("isList", "list")
	typeCheck("isString", "string")
	typeCheck("isBool", "bool")
	typeCheck("isInt", "int")
	typeCheck("isFloat", "float")
	typeCheck("isPath", "path")
	typeCheck("isFunction", "lambda")
	typeCheck("isNull", "null")
	add(NewPrim("typeOf", 1, func(ev *Evaluator, a []*Thunk) Value {
		v := ev.Force(a[0])
		if u, ok := v.(*Unknown); ok {
			return u
		}
		return StrV(v.Kind())
	}))
	add(NewPrim("functionArgs", 1, func(ev *Evaluator, a []*Thunk) Value {
		out := NewAttrs()
		if c, ok := ev.Force(a[0]).(*Closure); ok {
			for _, f := range c.L.Formals {
				out.Set(f.Name, Bool{f.Default != nil})
			}
		}
		return out
	}))
	add(NewPrim("seq", 2, func(ev *Evaluator, a []*Thunk) Value { ev.Force(a[0]); return ev.Force(a[1]) }))
	add(NewPrim("deepSeq", 2, func(ev *Evaluator, a []*Thunk) Value { return ev.Force(a[1]) }))
	add(NewPrim("trace", 2, func(ev *Evaluator, a []*Thunk) Value { return ev.Force(a[1]) }))
	add(NewPrim("warn", 2, func(ev *Evaluator, a []*Thunk) Value { return ev.Force(a[1]) }))
	add(NewPrim("throw", 1, func(ev *Evaluator, a []*Thunk) Value {
		s, _ := ev.str(a[0])
		return &Unknown{Why: "throw: " + s}
	}))
	add(NewPrim("abort", 1, func(ev *Evaluator, a []*Thunk) Value {
		s, _ := ev.str(a[0])
		return &Unknown{Why: "abort: " + s}
	}))
	add(NewPrim("tryEval", 1, func(ev *Evaluator, a []*Thunk) Value {
		v := ev.Force(a[0])
		if u, ok := v.(*Unknown); ok {
			return u
		}
		out := NewAttrs()
		out.Set("success", Bool{true})
		out.M["value"] = &Attr{T: a[0]}
		return out
	}))
	add(NewPrim("import", 1, func(ev *Evaluator, a []*Thunk) Value { return ev.Import(ev.Force(a[0])) }))
	add(NewPrim("pathExists", 1, func(ev *Evaluator, a []*Thunk) Value {
		p, ok := ev.RealPath(ev.Force(a[0]))
		if !ok {
			return &Unknown{Why: "pathExists on a path outside the tree"}
		}
		_, err := os.Stat(p)
		return Bool{err == nil}
	}))
	add(NewPrim("readDir", 1, func(ev *Evaluator, a []*Thunk) Value {
		p, ok := ev.RealPath(ev.Force(a[0]))
		if !ok {
			return &Unknown{Why: "readDir on a path outside the tree"}
		}
		ents, err := os.ReadDir(p)
		if err != nil {
			return &Unknown{Why: "readDir: " + err.Error()}
		}
		out := NewAttrs()
		for _, e := range ents {
			out.Set(e.Name(), StrV(fileType(e.Type())))
		}
		return out
	}))
	add(NewPrim("readFileType", 1, func(ev *Evaluator, a []*Thunk) Value {
		p, ok := ev.RealPath(ev.Force(a[0]))
		if !ok {
			return &Unknown{Why: "readFileType on a path outside the tree"}
		}
		st, err := os.Lstat(p)
		if err != nil {
			return &Unknown{Why: "readFileType: " + err.Error()}
		}
		return StrV(fileType(st.Mode()))
	}))
	add(NewPrim("readFile", 1, func(ev *Evaluator, a []*Thunk) Value {
		p, ok := ev.RealPath(ev.Force(a[0]))
		if !ok {
			return &Unknown{Why: "readFile outside the tree"}
		}
		st, err := os.Stat(p)
		if err != nil || st.Size() > 1<<20 {
			return &Unknown{Why: "readFile " + p}
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return &Unknown{Why: "readFile " + p}
		}
		return StrV(string(data))
	}))
	add(NewPrim("toJSON", 1, func(ev *Evaluator, a []*Thunk) Value {
		x, ok := ev.ToGo(ev.Force(a[0]), 0)
		if !ok {
			return &Unknown{Why: "toJSON of an unknown value"}
		}
		data, err := json.Marshal(x)
		if err != nil {
			return &Unknown{Why: "toJSON"}
		}
		return StrV(string(data))
	}))
	add(NewPrim("fromJSON", 1, func(ev *Evaluator, a []*Thunk) Value {
		s, bad := ev.str(a[0])
		if bad != nil {
			return bad
		}
		var x any
		if err := json.Unmarshal([]byte(s), &x); err != nil {
			return &Unknown{Why: "fromJSON: " + err.Error()}
		}
		return fromGo(x)
	}))
	add(NewPrim("getEnv", 1, func(ev *Evaluator, a []*Thunk) Value { return StrV("") }))
	add(NewPrim("lessThan", 2, func(ev *Evaluator, a []*Thunk) Value {
		c, ok := compare(ev.Force(a[0]), ev.Force(a[1]))
		if !ok {
			return &Unknown{Why: "lessThan"}
		}
		return Bool{c < 0}
	}))
	for _, op := range []string{"add", "sub", "mul", "div"} {
		sym := map[string]string{"add": "+", "sub": "-", "mul": "*", "div": "/"}[op]
		add(NewPrim(op, 2, func(ev *Evaluator, a []*Thunk) Value {
			return arith(&BinOp{Op: sym}, ev.Force(a[0]), ev.Force(a[1]))
		}))
	}
	add(NewPrim("zipAttrsWith", 2, func(ev *Evaluator, a []*Thunk) Value {
		l, bad := ev.ForceList(a[1])
		if bad != nil {
			return bad
		}
		vals := map[string]*List{}
		var order []string
		for _, e := range l.Elems {
			s, bad := ev.ForceAttrs(e)
			if bad != nil {
				return bad
			}
			names, ok := s.Names()
			if !ok {
				return &Unknown{Why: "zipAttrsWith"}
			}
			for _, n := range names {
				if vals[n] == nil {
					vals[n] = &List{}
					order = append(order, n)
				}
				at, _ := s.Get(n)
				vals[n].Elems = append(vals[n].Elems, at.T)
			}
		}
		out := NewAttrs()
		for _, n := range order {
			out.M[n] = &Attr{T: ev.Apply2(a[0], ValThunk(StrV(n)), ValThunk(vals[n]))}
		}
		return out
	}))
	// What fetches, builds or hashes files stays unknown.
	for _, n := range []string{"fetchTarball", "fetchGit", "fetchurl", "fetchTree", "fetchClosure", "getFlake", "derivation", "placeholder", "hashFile"} {
		name := n
		add(NewPrim(name, 1, func(ev *Evaluator, a []*Thunk) Value { return &Unknown{Why: "builtins." + name} }))
	}
	for name, bi := range builtinTable {
		add(NewPrim(name, bi.arity, bi.fn))
	}
	b.Set("currentSystem", &Unknown{Why: "builtins.currentSystem is not available in pure evaluation"})
	b.Set("nixVersion", StrV("2.8.0"))
	b.Set("langVersion", Int{6})
	b.Set("storeDir", StrV("/nix/store"))
	b.Set("true", Bool{true})
	b.Set("false", Bool{false})
	b.Set("null", Null{})
	return b
}

func (ev *Evaluator) anyAll(a []*Thunk, isAny bool) Value {
	l, bad := ev.ForceList(a[1])
	if bad != nil {
		return bad
	}
	var unknown Value
	for _, e := range l.Elems {
		b, bad := ev.boolOf(ev.Force(ev.apply1(a[0], e)))
		if bad != nil {
			unknown = bad
			continue
		}
		if b == isAny {
			return Bool{isAny}
		}
	}
	if unknown != nil {
		return unknown
	}
	return Bool{!isAny}
}

// ToGo turns a value into plain Go data (as builtins.toJSON sees it);
// false when any part of it is unknown.
func (ev *Evaluator) ToGo(v Value, depth int) (any, bool) {
	if depth > 100 {
		return nil, false
	}
	switch x := v.(type) {
	case Null:
		return nil, true
	case Bool:
		return x.B, true
	case Int:
		return x.I, true
	case Float:
		return x.F, true
	case *Str:
		return x.S, true
	case *Path:
		if x.Virtual {
			return nil, false
		}
		return storePathOf(x.P), true
	case *List:
		out := make([]any, 0, len(x.Elems))
		for _, e := range x.Elems {
			g, ok := ev.ToGo(ev.Force(e), depth+1)
			if !ok {
				return nil, false
			}
			out = append(out, g)
		}
		return out, true
	case *Attrs:
		names, ok := x.Names()
		if !ok {
			return nil, false
		}
		out := map[string]any{}
		for _, n := range names {
			at, _ := x.Get(n)
			g, ok := ev.ToGo(ev.Force(at.T), depth+1)
			if !ok {
				return nil, false
			}
			out[n] = g
		}
		return out, true
	}
	return nil, false
}

func fromGo(x any) Value { return fromDecoded(x, true) }

// fromDecoded turns decoded JSON or TOML into a value. JSON has only
// floats, so a whole one is an integer there (jsonNumbers); TOML keeps
// integers (int64) and floats apart.
func fromDecoded(x any, jsonNumbers bool) Value {
	switch v := x.(type) {
	case nil:
		return Null{}
	case bool:
		return Bool{v}
	case int64:
		return Int{v}
	case float64:
		if jsonNumbers && v == float64(int64(v)) {
			return Int{int64(v)}
		}
		return Float{v}
	case string:
		return StrV(v)
	case []any:
		l := &List{}
		for _, e := range v {
			l.Elems = append(l.Elems, ValThunk(fromDecoded(e, jsonNumbers)))
		}
		return l
	case []map[string]any:
		l := &List{}
		for _, e := range v {
			l.Elems = append(l.Elems, ValThunk(fromDecoded(e, jsonNumbers)))
		}
		return l
	case map[string]any:
		a := NewAttrs()
		for k, e := range v {
			a.Set(k, fromDecoded(e, jsonNumbers))
		}
		return a
	}
	if jsonNumbers {
		return &Unknown{Why: "fromJSON"}
	}
	return &Unknown{Why: "fromTOML: a date or time (Nix needs an experimental feature for them)"}
}

// fileType names a file's type as readDir and readFileType do.
func fileType(m os.FileMode) string {
	switch {
	case m&os.ModeSymlink != 0:
		return "symlink"
	case m.IsDir():
		return "directory"
	case m.IsRegular():
		return "regular"
	}
	return "unknown"
}
