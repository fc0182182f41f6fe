package lang

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"fmt"
	"hash"
	"math"
	"strconv"
	"strings"
	"unicode"

	"github.com/BurntSushi/toml"
	"github.com/nix-community/go-nix/pkg/nixhash"
)

// builtin is one builtin of current Nix: its arity and what it does. The
// table below holds the builtins added one by one (each tested in
// builtins_table_test.go, against the real nix-instantiate where Nix 2.8
// has them); builtins() holds the older ones.
type builtin struct {
	arity int
	fn    func(ev *Evaluator, a []*Thunk) Value
}

var builtinTable = map[string]builtin{
	"map":                           {2, biMap},
	"filter":                        {2, biFilter},
	"attrNames":                     {1, biAttrNames},
	"attrValues":                    {1, biAttrValues},
	"mapAttrs":                      {2, biMapAttrs},
	"listToAttrs":                   {1, biListToAttrs},
	"hasAttr":                       {2, biHasAttr},
	"getAttr":                       {2, biGetAttr},
	"removeAttrs":                   {2, biRemoveAttrs},
	"intersectAttrs":                {2, biIntersectAttrs},
	"catAttrs":                      {2, biCatAttrs},
	"length":                        {1, biLength},
	"head":                          {1, biHead},
	"tail":                          {1, biTail},
	"elemAt":                        {2, biElemAt},
	"elem":                          {2, biElem},
	"concatLists":                   {1, biConcatLists},
	"concatMap":                     {2, biConcatMap},
	"genList":                       {2, biGenList},
	"foldl'":                        {3, biFoldlStrict},
	"any":                           {2, biAny},
	"all":                           {2, biAll},
	"sort":                          {2, biSort},
	"partition":                     {2, biPartition},
	"groupBy":                       {2, biGroupBy},
	"toString":                      {1, biToString},
	"toPath":                        {1, biToPath},
	"concatStringsSep":              {2, biConcatStringsSep},
	"stringLength":                  {1, biStringLength},
	"substring":                     {3, biSubstring},
	"replaceStrings":                {3, biReplaceStrings},
	"match":                         {2, biMatch},
	"split":                         {2, biSplit},
	"baseNameOf":                    {1, biBaseNameOf},
	"dirOf":                         {1, biDirOf},
	"typeOf":                        {1, biTypeOf},
	"functionArgs":                  {1, biFunctionArgs},
	"seq":                           {2, biSeq},
	"deepSeq":                       {2, biDeepSeq},
	"trace":                         {2, biTrace},
	"warn":                          {2, biWarn},
	"throw":                         {1, biThrow},
	"abort":                         {1, biAbort},
	"tryEval":                       {1, biTryEval},
	"import":                        {1, biImport},
	"pathExists":                    {1, biPathExists},
	"readDir":                       {1, biReadDir},
	"readFileType":                  {1, biReadFileType},
	"readFile":                      {1, biReadFile},
	"toJSON":                        {1, biToJSON},
	"fromJSON":                      {1, biFromJSON},
	"getEnv":                        {1, biGetEnv},
	"lessThan":                      {2, biLessThan},
	"zipAttrsWith":                  {2, biZipAttrsWith},
	"fromTOML":                      {1, biFromTOML},
	"addErrorContext":               {2, func(ev *Evaluator, a []*Thunk) Value { return ev.Force(a[1]) }},
	"unsafeGetAttrPos":              {2, biUnsafeGetAttrPos},
	"hashString":                    {2, biHashString},
	"convertHash":                   {1, biConvertHash},
	"compareVersions":               {2, biCompareVersions},
	"splitVersion":                  {1, biSplitVersion},
	"parseDrvName":                  {1, biParseDrvName},
	"path":                          {1, biPath},
	"filterSource":                  {2, func(ev *Evaluator, a []*Thunk) Value { return ev.Force(a[1]) }},
	"genericClosure":                {1, biGenericClosure},
	"isFunction":                    {1, biIsFunction},
	"ceil":                          {1, func(ev *Evaluator, a []*Thunk) Value { return biRound(ev, a, math.Ceil) }},
	"floor":                         {1, func(ev *Evaluator, a []*Thunk) Value { return biRound(ev, a, math.Floor) }},
	"toFile":                        {2, biToFile},
	"storePath":                     {1, func(ev *Evaluator, a []*Thunk) Value { return ev.Force(a[0]) }},
	"unsafeDiscardStringContext":    {1, func(ev *Evaluator, a []*Thunk) Value { return ev.Force(a[0]) }},
	"unsafeDiscardOutputDependency": {1, func(ev *Evaluator, a []*Thunk) Value { return ev.Force(a[0]) }},
	"appendContext":                 {2, func(ev *Evaluator, a []*Thunk) Value { return ev.Force(a[0]) }},
	"hasContext":                    {1, func(ev *Evaluator, a []*Thunk) Value { return Bool{false} }},
	"getContext":                    {1, func(ev *Evaluator, a []*Thunk) Value { return NewAttrs() }},
	"break":                         {1, func(ev *Evaluator, a []*Thunk) Value { return ev.Force(a[0]) }},
}

func biFromTOML(ev *Evaluator, a []*Thunk) Value {
	s, bad := ev.str(a[0])
	if bad != nil {
		return bad
	}
	if u := ev.chargeHere(int64(len(s)) * decodedCost); u != nil {
		return u
	}
	if d, work := tomlDepth(s); d > maxTOMLDepth || work > maxTOMLWork {
		return &Unknown{Why: fmt.Sprintf("fromTOML: keys or tables nested too deep (%d levels; at most %d)", d, maxTOMLDepth)}
	}
	var x map[string]any
	if _, err := toml.Decode(s, &x); err != nil {
		return &Unknown{Why: "fromTOML: " + err.Error()}
	}
	return fromDecoded(x, false)
}

func biUnsafeGetAttrPos(ev *Evaluator, a []*Thunk) Value {
	name, bad := ev.str(a[0])
	if bad != nil {
		return bad
	}
	set, bad := ev.ForceAttrs(a[1])
	if bad != nil {
		return bad
	}
	at, ok := set.Get(name)
	if !ok || at.Bind == nil || !at.Bind.Sp.Valid() {
		return Null{}
	}
	sp := at.Bind.Path[at.KeyIdx].Sp
	line, col := sp.Src.LineCol(sp.Start)
	out := NewAttrs()
	out.Set("file", StrV(sp.Src.Path))
	out.Set("line", Int{int64(line)})
	out.Set("column", Int{int64(col)})
	return out
}

func hasher(algo string) hash.Hash {
	switch algo {
	case "md5":
		return md5.New()
	case "sha1":
		return sha1.New()
	case "sha256":
		return sha256.New()
	case "sha512":
		return sha512.New()
	}
	return nil
}

func biHashString(ev *Evaluator, a []*Thunk) Value {
	algo, bad := ev.str(a[0])
	if bad != nil {
		return bad
	}
	s, bad := ev.str(a[1])
	if bad != nil {
		return bad
	}
	h := hasher(algo)
	if h == nil {
		return &Unknown{Why: "hashString: unknown hash algorithm " + algo}
	}
	h.Write([]byte(s))
	return StrV(hex.EncodeToString(h.Sum(nil)))
}

func biConvertHash(ev *Evaluator, a []*Thunk) Value {
	args, bad := ev.ForceAttrs(a[0])
	if bad != nil {
		return bad
	}
	field := func(n string) (string, bool) {
		at, ok := args.Get(n)
		if !ok {
			return "", false
		}
		s, ok := ev.Force(at.T).(*Str)
		if !ok {
			return "", false
		}
		return s.S, true
	}
	h, ok := field("hash")
	to, ok2 := field("toHashFormat")
	if !ok || !ok2 {
		return &Unknown{Why: "convertHash needs hash and toHashFormat"}
	}
	var algo *nixhash.Algorithm
	if s, ok := field("hashAlgo"); ok {
		al, err := nixhash.ParseAlgorithm(s)
		if err != nil {
			return &Unknown{Why: "convertHash: " + err.Error()}
		}
		algo = &al
	}
	parsed, err := nixhash.ParseAny(h, algo)
	if err != nil {
		return &Unknown{Why: "convertHash: " + err.Error()}
	}
	enc, ok := map[string]nixhash.Encoding{"base16": nixhash.Base16, "nix32": nixhash.NixBase32, "base32": nixhash.NixBase32,
		"base64": nixhash.Base64, "sri": nixhash.SRI}[to]
	if !ok {
		return &Unknown{Why: "convertHash: unknown format " + to}
	}
	return StrV(parsed.Format(enc, false))
}

// versionComponents splits a version as Nix does: runs of digits, runs of
// other characters, with '.' and '-' separating.
func versionComponents(s string) []string {
	var out []string
	i := 0
	for i < len(s) {
		if s[i] == '.' || s[i] == '-' {
			i++
			continue
		}
		j := i
		digit := s[i] >= '0' && s[i] <= '9'
		for j < len(s) && s[j] != '.' && s[j] != '-' && (s[j] >= '0' && s[j] <= '9') == digit {
			j++
		}
		out = append(out, s[i:j])
		i = j
	}
	return out
}

func componentLess(c1, c2 string) bool {
	n1, err1 := strconv.ParseUint(c1, 10, 64)
	n2, err2 := strconv.ParseUint(c2, 10, 64)
	switch {
	case err1 == nil && err2 == nil:
		return n1 < n2
	case c1 == "" && err2 == nil:
		return true
	case c1 == "pre" && c2 != "pre":
		return true
	case c2 == "pre":
		return false
	case err1 == nil: // numbers sort after words
		return false
	case err2 == nil:
		return true
	}
	return c1 < c2
}

func biCompareVersions(ev *Evaluator, a []*Thunk) Value {
	s1, bad := ev.str(a[0])
	if bad != nil {
		return bad
	}
	s2, bad := ev.str(a[1])
	if bad != nil {
		return bad
	}
	v1, v2 := versionComponents(s1), versionComponents(s2)
	for i := 0; i < len(v1) || i < len(v2); i++ {
		var c1, c2 string
		if i < len(v1) {
			c1 = v1[i]
		}
		if i < len(v2) {
			c2 = v2[i]
		}
		if componentLess(c1, c2) {
			return Int{-1}
		}
		if componentLess(c2, c1) {
			return Int{1}
		}
	}
	return Int{0}
}

func biSplitVersion(ev *Evaluator, a []*Thunk) Value {
	s, bad := ev.str(a[0])
	if bad != nil {
		return bad
	}
	out := &List{}
	for _, c := range versionComponents(s) {
		out.Elems = append(out.Elems, ValThunk(StrV(c)))
	}
	return out
}

// biParseDrvName: the version starts at the first dash followed by a
// character that is not a letter.
func biParseDrvName(ev *Evaluator, a []*Thunk) Value {
	s, bad := ev.str(a[0])
	if bad != nil {
		return bad
	}
	name, version := s, ""
	for i := 0; i+1 < len(s); i++ {
		if s[i] == '-' && !unicode.IsLetter(rune(s[i+1])) {
			name, version = s[:i], s[i+1:]
			break
		}
	}
	out := NewAttrs()
	out.Set("name", StrV(name))
	out.Set("version", StrV(version))
	return out
}

// biPath is builtins.path { path, name ? …, filter ? … }: the same files,
// for the reader the same path.
func biPath(ev *Evaluator, a []*Thunk) Value {
	args, bad := ev.ForceAttrs(a[0])
	if bad != nil {
		return bad
	}
	at, ok := args.Get("path")
	if !ok {
		return &Unknown{Why: "builtins.path without path"}
	}
	return ev.Force(at.T)
}

func biGenericClosure(ev *Evaluator, a []*Thunk) Value {
	args, bad := ev.ForceAttrs(a[0])
	if bad != nil {
		return bad
	}
	start, ok1 := args.Get("startSet")
	op, ok2 := args.Get("operator")
	if !ok1 || !ok2 {
		return &Unknown{Why: "genericClosure needs startSet and operator"}
	}
	queue, bad := ev.ForceList(start.T)
	if bad != nil {
		return bad
	}
	work := append([]*Thunk(nil), queue.Elems...)
	var seen []Value             // keys that are neither strings nor numbers
	seenKey := map[string]bool{} // the others, by kind and value
	out := &List{}
	for steps := 0; len(work) > 0; steps++ {
		if steps > 10_000 {
			return &Unknown{Why: "genericClosure: too many elements"}
		}
		e := work[0]
		work = work[1:]
		set, bad := ev.ForceAttrs(e)
		if bad != nil {
			return bad
		}
		k, ok := set.Get("key")
		if !ok {
			return &Unknown{Why: "genericClosure: an element without key"}
		}
		key := ev.Force(k.T)
		var simple string
		switch x := key.(type) {
		case *Str:
			simple = "s:" + x.S
		case Int:
			simple = "i:" + strconv.FormatInt(x.I, 10)
		}
		if simple != "" {
			if seenKey[simple] {
				continue
			}
			seenKey[simple] = true
			out.Elems = append(out.Elems, e)
			next, bad := ev.ForceList(ev.apply1(op.T, e))
			if bad != nil {
				return bad
			}
			work = append(work, next.Elems...)
			continue
		}
		dup := false
		for _, s := range seen {
			eq, known := ev.Equal(s, key)
			if !known {
				return &Unknown{Why: "genericClosure: a key that cannot be compared"}
			}
			if eq {
				dup = true
				break
			}
		}
		if dup {
			continue
		}
		seen = append(seen, key)
		out.Elems = append(out.Elems, e)
		next, bad := ev.ForceList(ev.apply1(op.T, e))
		if bad != nil {
			return bad
		}
		work = append(work, next.Elems...)
	}
	return out
}

func biIsFunction(ev *Evaluator, a []*Thunk) Value {
	switch ev.Force(a[0]).(type) {
	case *Closure, *Prim:
		return Bool{true}
	case *Unknown:
		return &Unknown{Why: "isFunction of an unknown value"}
	}
	return Bool{false}
}

func biRound(ev *Evaluator, a []*Thunk, f func(float64) float64) Value {
	switch x := ev.Force(a[0]).(type) {
	case Int:
		return x
	case Float:
		return Int{int64(f(x.F))}
	case *Unknown:
		return x
	}
	return &Unknown{Why: "rounding something that is not a number"}
}

func biToFile(ev *Evaluator, a []*Thunk) Value {
	name, bad := ev.str(a[0])
	if bad != nil {
		return bad
	}
	if strings.ContainsRune(name, '/') {
		return &Unknown{Why: "toFile: a name with a slash"}
	}
	return StrV(storePathOf(name))
}

// decodedCost is what one byte of JSON or TOML may grow into once decoded
// (a value per few bytes).
const decodedCost = 16

// maxTOMLDepth bounds how deep TOML keys and tables nest: the TOML decoder
// copies the whole key path at every level, so a key of 100,000 dotted
// parts took gigabytes.
const maxTOMLDepth = 256

// maxTOMLWork bounds the sum of the squared key depths, the decoder's work
// (a million lines of 256-part keys are each allowed, not all of them).
const maxTOMLWork = 1 << 22

// tomlDepth is how deep the TOML text nests: the dotted parts of a key or
// table header, plus the open arrays and inline tables around it (strings
// and comments skipped), and the sum of each line's depth squared.
func tomlDepth(s string) (deepest, work int) {
	open, dots := 0, 0
	line := 0
	endLine := func() {
		work += line * line
		line, dots = 0, 0
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\n':
			endLine()
		case '#':
			for i < len(s) && s[i] != '\n' {
				i++
			}
			endLine()
		case '"', '\'':
			q := string(c)
			if strings.HasPrefix(s[i:], q+q+q) {
				end := strings.Index(s[i+3:], q+q+q)
				if end < 0 {
					return deepest, work
				}
				i += 3 + end + 2
				continue
			}
			for i++; i < len(s) && s[i] != c && s[i] != '\n'; i++ {
				if c == '"' && s[i] == '\\' {
					i++
				}
			}
		case '.':
			dots++
		case '[', '{':
			open++
		case ']', '}':
			open--
		}
		line = max(line, dots+open)
		deepest = max(deepest, line)
	}
	endLine()
	return deepest, work
}
