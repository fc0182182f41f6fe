package nixeval

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

func prim(name string, arity int, fn func(ev *Evaluator, a []*Thunk) Value) *Prim {
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
	v := ev.force(t)
	if s, ok := v.(*Str); ok {
		return s.S, nil
	}
	return "", unknownArg("string", v)
}

func (ev *Evaluator) list(t *Thunk) (*List, Value) {
	v := ev.force(t)
	if l, ok := v.(*List); ok {
		return l, nil
	}
	return nil, unknownArg("list", v)
}

func (ev *Evaluator) attrs(t *Thunk) (*Attrs, Value) {
	v := ev.force(t)
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

func strV(s string) *Str { return &Str{S: s} }

func listOf(vs ...Value) *List {
	l := &List{Elems: make([]*Thunk, len(vs))}
	for i, v := range vs {
		l.Elems[i] = valThunk(v)
	}
	return l
}

func (ev *Evaluator) apply1(f *Thunk, x *Thunk) *Thunk {
	return lazy(func() Value { return ev.call(ev.force(f), x, Span{}) })
}

func (ev *Evaluator) apply2(f *Thunk, x, y *Thunk) *Thunk {
	return lazy(func() Value {
		return ev.call(ev.call(ev.force(f), x, Span{}), y, Span{})
	})
}

func (ev *Evaluator) builtins() *Attrs {
	b := newAttrs()
	add := func(p *Prim) { b.set(p.Name, p) }
	add(prim("map", 2, func(ev *Evaluator, a []*Thunk) Value {
		l, bad := ev.list(a[1])
		if bad != nil {
			return bad
		}
		out := &List{Elems: make([]*Thunk, len(l.Elems))}
		for i, e := range l.Elems {
			out.Elems[i] = ev.apply1(a[0], e)
		}
		return out
	}))
	add(prim("filter", 2, func(ev *Evaluator, a []*Thunk) Value {
		l, bad := ev.list(a[1])
		if bad != nil {
			return bad
		}
		out := &List{}
		for _, e := range l.Elems {
			keep, bad := ev.boolOf(ev.force(ev.apply1(a[0], e)))
			if bad != nil {
				return bad
			}
			if keep {
				out.Elems = append(out.Elems, e)
			}
		}
		return out
	}))
	add(prim("attrNames", 1, func(ev *Evaluator, a []*Thunk) Value {
		s, bad := ev.attrs(a[0])
		if bad != nil {
			return bad
		}
		names, ok := s.Names()
		if !ok {
			return &Unknown{Why: "attribute names cannot be listed"}
		}
		out := &List{}
		for _, n := range names {
			out.Elems = append(out.Elems, valThunk(strV(n)))
		}
		return out
	}))
	add(prim("attrValues", 1, func(ev *Evaluator, a []*Thunk) Value {
		s, bad := ev.attrs(a[0])
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
	add(prim("mapAttrs", 2, func(ev *Evaluator, a []*Thunk) Value {
		s, bad := ev.attrs(a[1])
		if bad != nil {
			return bad
		}
		names, ok := s.Names()
		if !ok {
			return &Unknown{Why: "attribute names cannot be listed"}
		}
		out := newAttrs()
		for _, n := range names {
			at, _ := s.Get(n)
			out.M[n] = &Attr{T: ev.apply2(a[0], valThunk(strV(n)), at.T), Bind: at.Bind, KeyIdx: at.KeyIdx}
		}
		return out
	}))
	add(prim("listToAttrs", 1, func(ev *Evaluator, a []*Thunk) Value {
		l, bad := ev.list(a[0])
		if bad != nil {
			return bad
		}
		out := newAttrs()
		for _, e := range l.Elems {
			nv, bad := ev.attrs(e)
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
	add(prim("hasAttr", 2, func(ev *Evaluator, a []*Thunk) Value {
		n, bad := ev.str(a[0])
		if bad != nil {
			return bad
		}
		s, bad := ev.attrs(a[1])
		if bad != nil {
			return bad
		}
		_, ok := s.Get(n)
		return Bool{ok}
	}))
	add(prim("getAttr", 2, func(ev *Evaluator, a []*Thunk) Value {
		n, bad := ev.str(a[0])
		if bad != nil {
			return bad
		}
		return ev.selectName(ev.force(a[1]), n, Span{})
	}))
	add(prim("removeAttrs", 2, func(ev *Evaluator, a []*Thunk) Value {
		s, bad := ev.attrs(a[0])
		if bad != nil {
			return bad
		}
		l, bad := ev.list(a[1])
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
		out := newAttrs()
		for _, n := range names {
			if !drop[n] {
				out.M[n], _ = s.Get(n)
			}
		}
		return out
	}))
	add(prim("intersectAttrs", 2, func(ev *Evaluator, a []*Thunk) Value {
		x, bad := ev.attrs(a[0])
		if bad != nil {
			return bad
		}
		y, bad := ev.attrs(a[1])
		if bad != nil {
			return bad
		}
		names, ok := y.Names()
		if !ok {
			return &Unknown{Why: "attribute names cannot be listed"}
		}
		out := newAttrs()
		for _, n := range names {
			if _, ok := x.Get(n); ok {
				out.M[n], _ = y.Get(n)
			}
		}
		return out
	}))
	add(prim("catAttrs", 2, func(ev *Evaluator, a []*Thunk) Value {
		n, bad := ev.str(a[0])
		if bad != nil {
			return bad
		}
		l, bad := ev.list(a[1])
		if bad != nil {
			return bad
		}
		out := &List{}
		for _, e := range l.Elems {
			s, bad := ev.attrs(e)
			if bad != nil {
				return bad
			}
			if at, ok := s.Get(n); ok {
				out.Elems = append(out.Elems, at.T)
			}
		}
		return out
	}))
	add(prim("length", 1, func(ev *Evaluator, a []*Thunk) Value {
		l, bad := ev.list(a[0])
		if bad != nil {
			return bad
		}
		return Int{int64(len(l.Elems))}
	}))
	add(prim("head", 1, func(ev *Evaluator, a []*Thunk) Value {
		l, bad := ev.list(a[0])
		if bad != nil {
			return bad
		}
		if len(l.Elems) == 0 {
			return &Unknown{Why: "head of an empty list"}
		}
		return ev.force(l.Elems[0])
	}))
	add(prim("tail", 1, func(ev *Evaluator, a []*Thunk) Value {
		l, bad := ev.list(a[0])
		if bad != nil {
			return bad
		}
		if len(l.Elems) == 0 {
			return &Unknown{Why: "tail of an empty list"}
		}
		return &List{Elems: l.Elems[1:]}
	}))
	add(prim("elemAt", 2, func(ev *Evaluator, a []*Thunk) Value {
		l, bad := ev.list(a[0])
		if bad != nil {
			return bad
		}
		i, ok := ev.force(a[1]).(Int)
		if !ok || i.I < 0 || int(i.I) >= len(l.Elems) {
			return &Unknown{Why: "elemAt out of range"}
		}
		return ev.force(l.Elems[i.I])
	}))
	add(prim("elem", 2, func(ev *Evaluator, a []*Thunk) Value {
		l, bad := ev.list(a[1])
		if bad != nil {
			return bad
		}
		x := ev.force(a[0])
		unknown := false
		for _, e := range l.Elems {
			eq, known := ev.equal(x, ev.force(e))
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
	add(prim("concatLists", 1, func(ev *Evaluator, a []*Thunk) Value {
		l, bad := ev.list(a[0])
		if bad != nil {
			return bad
		}
		out := &List{}
		for _, e := range l.Elems {
			el, bad := ev.list(e)
			if bad != nil {
				return bad
			}
			out.Elems = append(out.Elems, el.Elems...)
		}
		return out
	}))
	add(prim("concatMap", 2, func(ev *Evaluator, a []*Thunk) Value {
		l, bad := ev.list(a[1])
		if bad != nil {
			return bad
		}
		out := &List{}
		for _, e := range l.Elems {
			el, bad := ev.list(ev.apply1(a[0], e))
			if bad != nil {
				return bad
			}
			out.Elems = append(out.Elems, el.Elems...)
		}
		return out
	}))
	add(prim("genList", 2, func(ev *Evaluator, a []*Thunk) Value {
		n, ok := ev.force(a[1]).(Int)
		if !ok || n.I < 0 || n.I > 100000 {
			return &Unknown{Why: "genList length"}
		}
		out := &List{}
		for i := int64(0); i < n.I; i++ {
			out.Elems = append(out.Elems, ev.apply1(a[0], valThunk(Int{i})))
		}
		return out
	}))
	add(prim("foldl'", 3, func(ev *Evaluator, a []*Thunk) Value {
		l, bad := ev.list(a[2])
		if bad != nil {
			return bad
		}
		acc := a[1]
		for _, e := range l.Elems {
			acc = valThunk(ev.force(ev.apply2(a[0], acc, e)))
		}
		return ev.force(acc)
	}))
	add(prim("any", 2, func(ev *Evaluator, a []*Thunk) Value { return ev.anyAll(a, true) }))
	add(prim("all", 2, func(ev *Evaluator, a []*Thunk) Value { return ev.anyAll(a, false) }))
	add(prim("sort", 2, func(ev *Evaluator, a []*Thunk) Value {
		l, bad := ev.list(a[1])
		if bad != nil {
			return bad
		}
		out := append([]*Thunk(nil), l.Elems...)
		failed := false
		sort.SliceStable(out, func(i, j int) bool {
			b, bad := ev.boolOf(ev.force(ev.apply2(a[0], out[i], out[j])))
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
	add(prim("partition", 2, func(ev *Evaluator, a []*Thunk) Value {
		l, bad := ev.list(a[1])
		if bad != nil {
			return bad
		}
		right, wrong := &List{}, &List{}
		for _, e := range l.Elems {
			b, bad := ev.boolOf(ev.force(ev.apply1(a[0], e)))
			if bad != nil {
				return bad
			}
			if b {
				right.Elems = append(right.Elems, e)
			} else {
				wrong.Elems = append(wrong.Elems, e)
			}
		}
		out := newAttrs()
		out.set("right", right)
		out.set("wrong", wrong)
		return out
	}))
	add(prim("groupBy", 2, func(ev *Evaluator, a []*Thunk) Value {
		l, bad := ev.list(a[1])
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
		out := newAttrs()
		for k, g := range groups {
			out.set(k, g)
		}
		return out
	}))
	add(prim("toString", 1, func(ev *Evaluator, a []*Thunk) Value {
		v := ev.force(a[0])
		if p, ok := v.(*Path); ok {
			// The path's name, still naming it (toString modulesPath).
			return &Str{S: p.P, At: p.At, Path: p}
		}
		s, ok := ev.coerce(v, false)
		if !ok {
			return unknownArg("toString", v)
		}
		return strV(s)
	}))
	add(prim("concatStringsSep", 2, func(ev *Evaluator, a []*Thunk) Value {
		sep, bad := ev.str(a[0])
		if bad != nil {
			return bad
		}
		l, bad := ev.list(a[1])
		if bad != nil {
			return bad
		}
		parts := make([]string, 0, len(l.Elems))
		for _, e := range l.Elems {
			v := ev.force(e)
			s, ok := ev.coerce(v, true)
			if !ok {
				return unknownArg("concatStringsSep", v)
			}
			parts = append(parts, s)
		}
		return strV(strings.Join(parts, sep))
	}))
	add(prim("stringLength", 1, func(ev *Evaluator, a []*Thunk) Value {
		s, bad := ev.str(a[0])
		if bad != nil {
			return bad
		}
		return Int{int64(len(s))}
	}))
	add(prim("substring", 3, func(ev *Evaluator, a []*Thunk) Value {
		st, ok1 := ev.force(a[0]).(Int)
		ln, ok2 := ev.force(a[1]).(Int)
		s, bad := ev.str(a[2])
		if bad != nil || !ok1 || !ok2 || st.I < 0 {
			return unknownArg("substring", bad)
		}
		if int(st.I) >= len(s) {
			return strV("")
		}
		end := len(s)
		if ln.I >= 0 && int(st.I+ln.I) < end {
			end = int(st.I + ln.I)
		}
		return strV(s[st.I:end])
	}))
	add(prim("replaceStrings", 3, func(ev *Evaluator, a []*Thunk) Value {
		from, bad := ev.list(a[0])
		if bad != nil {
			return bad
		}
		to, bad := ev.list(a[1])
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
		return strV(strings.NewReplacer(pairs...).Replace(s))
	}))
	add(prim("match", 2, func(ev *Evaluator, a []*Thunk) Value {
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
				out.Elems = append(out.Elems, valThunk(Null{}))
			} else {
				out.Elems = append(out.Elems, valThunk(strV(s[m[i]:m[i+1]])))
			}
		}
		return out
	}))
	add(prim("split", 2, func(ev *Evaluator, a []*Thunk) Value {
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
			out.Elems = append(out.Elems, valThunk(strV(s[prev:m[0]])))
			groups := &List{}
			for i := 2; i < len(m); i += 2 {
				if m[i] < 0 {
					groups.Elems = append(groups.Elems, valThunk(Null{}))
				} else {
					groups.Elems = append(groups.Elems, valThunk(strV(s[m[i]:m[i+1]])))
				}
			}
			out.Elems = append(out.Elems, valThunk(groups))
			prev = m[1]
		}
		out.Elems = append(out.Elems, valThunk(strV(s[prev:])))
		return out
	}))
	add(prim("baseNameOf", 1, func(ev *Evaluator, a []*Thunk) Value {
		v := ev.force(a[0])
		s, ok := ev.coerce(v, false)
		if !ok {
			return unknownArg("baseNameOf", v)
		}
		return strV(filepath.Base(strings.TrimSuffix(s, "/")))
	}))
	add(prim("dirOf", 1, func(ev *Evaluator, a []*Thunk) Value {
		v := ev.force(a[0])
		if p, ok := v.(*Path); ok {
			return &Path{P: filepath.Dir(p.P), Virtual: p.Virtual}
		}
		s, ok := ev.coerce(v, false)
		if !ok {
			return unknownArg("dirOf", v)
		}
		return strV(filepath.Dir(s))
	}))
	typeCheck := func(name, kind string) {
		add(prim(name, 1, func(ev *Evaluator, a []*Thunk) Value {
			v := ev.force(a[0])
			if u, ok := v.(*Unknown); ok {
				return u
			}
			return Bool{v.kind() == kind}
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
	add(prim("typeOf", 1, func(ev *Evaluator, a []*Thunk) Value {
		v := ev.force(a[0])
		if u, ok := v.(*Unknown); ok {
			return u
		}
		return strV(v.kind())
	}))
	add(prim("functionArgs", 1, func(ev *Evaluator, a []*Thunk) Value {
		out := newAttrs()
		if c, ok := ev.force(a[0]).(*Closure); ok {
			for _, f := range c.L.Formals {
				out.set(f.Name, Bool{f.Default != nil})
			}
		}
		return out
	}))
	add(prim("seq", 2, func(ev *Evaluator, a []*Thunk) Value { ev.force(a[0]); return ev.force(a[1]) }))
	add(prim("deepSeq", 2, func(ev *Evaluator, a []*Thunk) Value { return ev.force(a[1]) }))
	add(prim("trace", 2, func(ev *Evaluator, a []*Thunk) Value { return ev.force(a[1]) }))
	add(prim("warn", 2, func(ev *Evaluator, a []*Thunk) Value { return ev.force(a[1]) }))
	add(prim("throw", 1, func(ev *Evaluator, a []*Thunk) Value {
		s, _ := ev.str(a[0])
		return &Unknown{Why: "throw: " + s}
	}))
	add(prim("abort", 1, func(ev *Evaluator, a []*Thunk) Value {
		s, _ := ev.str(a[0])
		return &Unknown{Why: "abort: " + s}
	}))
	add(prim("tryEval", 1, func(ev *Evaluator, a []*Thunk) Value {
		v := ev.force(a[0])
		if u, ok := v.(*Unknown); ok {
			return u
		}
		out := newAttrs()
		out.set("success", Bool{true})
		out.M["value"] = &Attr{T: a[0]}
		return out
	}))
	add(prim("import", 1, func(ev *Evaluator, a []*Thunk) Value { return ev.importValue(ev.force(a[0])) }))
	add(prim("pathExists", 1, func(ev *Evaluator, a []*Thunk) Value {
		p, ok := ev.realPath(ev.force(a[0]))
		if !ok {
			return &Unknown{Why: "pathExists on a path outside the tree"}
		}
		_, err := os.Stat(p)
		return Bool{err == nil}
	}))
	add(prim("readDir", 1, func(ev *Evaluator, a []*Thunk) Value {
		p, ok := ev.realPath(ev.force(a[0]))
		if !ok {
			return &Unknown{Why: "readDir on a path outside the tree"}
		}
		ents, err := os.ReadDir(p)
		if err != nil {
			return &Unknown{Why: "readDir: " + err.Error()}
		}
		out := newAttrs()
		for _, e := range ents {
			out.set(e.Name(), strV(fileType(e.Type())))
		}
		return out
	}))
	add(prim("readFileType", 1, func(ev *Evaluator, a []*Thunk) Value {
		p, ok := ev.realPath(ev.force(a[0]))
		if !ok {
			return &Unknown{Why: "readFileType on a path outside the tree"}
		}
		st, err := os.Lstat(p)
		if err != nil {
			return &Unknown{Why: "readFileType: " + err.Error()}
		}
		return strV(fileType(st.Mode()))
	}))
	add(prim("readFile", 1, func(ev *Evaluator, a []*Thunk) Value {
		p, ok := ev.realPath(ev.force(a[0]))
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
		return strV(string(data))
	}))
	add(prim("toJSON", 1, func(ev *Evaluator, a []*Thunk) Value {
		x, ok := ev.toGo(ev.force(a[0]), 0)
		if !ok {
			return &Unknown{Why: "toJSON of an unknown value"}
		}
		data, err := json.Marshal(x)
		if err != nil {
			return &Unknown{Why: "toJSON"}
		}
		return strV(string(data))
	}))
	add(prim("fromJSON", 1, func(ev *Evaluator, a []*Thunk) Value {
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
	add(prim("getEnv", 1, func(ev *Evaluator, a []*Thunk) Value { return strV("") }))
	add(prim("lessThan", 2, func(ev *Evaluator, a []*Thunk) Value {
		c, ok := compare(ev.force(a[0]), ev.force(a[1]))
		if !ok {
			return &Unknown{Why: "lessThan"}
		}
		return Bool{c < 0}
	}))
	for _, op := range []string{"add", "sub", "mul", "div"} {
		sym := map[string]string{"add": "+", "sub": "-", "mul": "*", "div": "/"}[op]
		add(prim(op, 2, func(ev *Evaluator, a []*Thunk) Value {
			return arith(&BinOp{Op: sym}, ev.force(a[0]), ev.force(a[1]))
		}))
	}
	add(prim("zipAttrsWith", 2, func(ev *Evaluator, a []*Thunk) Value {
		l, bad := ev.list(a[1])
		if bad != nil {
			return bad
		}
		vals := map[string]*List{}
		var order []string
		for _, e := range l.Elems {
			s, bad := ev.attrs(e)
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
		out := newAttrs()
		for _, n := range order {
			out.M[n] = &Attr{T: ev.apply2(a[0], valThunk(strV(n)), valThunk(vals[n]))}
		}
		return out
	}))
	// What fetches, builds or hashes files stays unknown.
	for _, n := range []string{"fetchTarball", "fetchGit", "fetchurl", "fetchTree", "fetchClosure", "getFlake", "derivation", "placeholder", "hashFile"} {
		name := n
		add(prim(name, 1, func(ev *Evaluator, a []*Thunk) Value { return &Unknown{Why: "builtins." + name} }))
	}
	for name, bi := range builtinTable {
		add(prim(name, bi.arity, bi.fn))
	}
	b.set("currentSystem", &Unknown{Why: "builtins.currentSystem is not available in pure evaluation"})
	b.set("nixVersion", strV("2.8.0"))
	b.set("langVersion", Int{6})
	b.set("storeDir", strV("/nix/store"))
	b.set("true", Bool{true})
	b.set("false", Bool{false})
	b.set("null", Null{})
	return b
}

func (ev *Evaluator) anyAll(a []*Thunk, isAny bool) Value {
	l, bad := ev.list(a[1])
	if bad != nil {
		return bad
	}
	var unknown Value
	for _, e := range l.Elems {
		b, bad := ev.boolOf(ev.force(ev.apply1(a[0], e)))
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

func (ev *Evaluator) toGo(v Value, depth int) (any, bool) {
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
			g, ok := ev.toGo(ev.force(e), depth+1)
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
			g, ok := ev.toGo(ev.force(at.T), depth+1)
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
		return strV(v)
	case []any:
		l := &List{}
		for _, e := range v {
			l.Elems = append(l.Elems, valThunk(fromDecoded(e, jsonNumbers)))
		}
		return l
	case []map[string]any:
		l := &List{}
		for _, e := range v {
			l.Elems = append(l.Elems, valThunk(fromDecoded(e, jsonNumbers)))
		}
		return l
	case map[string]any:
		a := newAttrs()
		for k, e := range v {
			a.set(k, fromDecoded(e, jsonNumbers))
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
