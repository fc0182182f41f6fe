package nixeval

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/nix-community/go-nix/pkg/nixbase32"
	"github.com/nix-community/go-nix/pkg/nixhash"
	"github.com/nixbuild-lint/nixbuild-lint/internal/treefs"
	"github.com/nixbuild-lint/nixbuild-lint/nixeval/lang"
)

// Inputs already in the local store. A user who has built the flake has its
// locked inputs in the Nix store, at a path that follows from flake.lock
// alone: Nix copies a flake input's source to a fixed-output path named
// "source" whose hash is the input's narHash. The reader reads such an
// input's real flake.nix and files instead of a stand-in. The inputs the
// reader has its own model of (nixpkgs, nix-darwin, import-tree, …) keep
// the model: their real sources are built on the whole module system and
// package set, which the model stands for. flake-parts runs from its
// source when nixpkgs' lib is there too, the model standing in where it
// stops (flakeparts_real.go).

// StoreDir is the Nix store: NIX_STORE_DIR, as Nix reads it, else /nix/store.
func StoreDir() string {
	if d := os.Getenv("NIX_STORE_DIR"); d != "" {
		return filepath.Clean(d)
	}
	return "/nix/store"
}

// SourceStorePath is the store path of a locked flake input's source: a
// recursive sha256 fixed-output path named "source", as Nix computes it
// (fingerprint "source:sha256:<hex>:<store>:source", compressed to 20
// bytes, in Nix's base32).
func SourceStorePath(narHash string) (string, error) {
	h, err := nixhash.ParseAny(narHash, nil)
	if err != nil {
		return "", err
	}
	if h.Algo() != nixhash.SHA256 {
		return "", &InputError{File: "flake.lock", Msg: "narHash is not sha256: " + narHash}
	}
	store := StoreDir()
	fp := "source:sha256:" + hex.EncodeToString(h.Digest()) + ":" + store + ":source"
	sum := sha256.Sum256([]byte(fp))
	return store + "/" + nixbase32.EncodeToString(nixhash.CompressHash(sum[:], 20)) + "-source", nil
}

// LockFile is the part of flake.lock the reader (and the fetching of
// inputs) uses.
type LockFile struct {
	Root  string              `json:"root"`
	Nodes map[string]LockNode `json:"nodes"`
}

// LockNode is one node of flake.lock.
type LockNode struct {
	Inputs   map[string]json.RawMessage `json:"inputs"`
	Locked   LockRef                    `json:"locked"`
	Original LockRef                    `json:"original"`
	Flake    *bool                      `json:"flake"`
}

// MaxLockSize is the largest flake.lock read.
const MaxLockSize = 32 << 20

// ReadLock reads dir/flake.lock; nil when there is none, it is not a
// regular file of dir, or not JSON.
func ReadLock(dir string) *LockFile {
	data, err := treefs.ReadIn(dir, filepath.Join(dir, "flake.lock"), MaxLockSize)
	if err != nil {
		return nil
	}
	var l LockFile
	if json.Unmarshal(data, &l) != nil || l.Nodes == nil {
		return nil
	}
	if l.Root == "" {
		l.Root = "root"
	}
	return &l
}

// Input is the node an input of node names: a node key, or a "follows"
// path of input names from the root (followed at most 64 deep: a lock
// whose follows go round in a circle names nothing).
func (l *LockFile) Input(node, name string) (string, bool) {
	return l.inputAt(node, name, 0)
}

func (l *LockFile) inputAt(node, name string, depth int) (string, bool) {
	n, ok := l.Nodes[node]
	if !ok || depth > 64 {
		return "", false
	}
	raw, ok := n.Inputs[name]
	if !ok {
		return "", false
	}
	var key string
	if json.Unmarshal(raw, &key) == nil {
		return key, true
	}
	var path []string
	if json.Unmarshal(raw, &path) != nil {
		return "", false
	}
	cur := l.Root
	for _, step := range path {
		next, ok := l.inputAt(cur, step, depth+1)
		if !ok {
			return "", false
		}
		cur = next
	}
	return cur, true
}

// source is the node's source directory in the store, if it is there.
func (l *LockFile) source(node string) string {
	n, ok := l.Nodes[node]
	if !ok || n.Locked.NarHash == "" || n.Flake != nil && !*n.Flake {
		return ""
	}
	p, err := SourceStorePath(n.Locked.NarHash)
	if err != nil {
		return ""
	}
	if st, err := os.Stat(filepath.Join(p, "flake.nix")); err != nil || st.IsDir() {
		return fetchedSource(p)
	}
	return p
}

// modelled reports whether the reader keeps its own model of an input
// (nixpkgs and nix-darwin by name or url, and the flake frameworks).
func modelled(in inputStandIn) bool {
	// flake-utils' and import-tree's real sources are plain Nix the
	// reader evaluates (tested against them); flake-parts' needs nixpkgs'
	// real lib (lockedInput decides, before asking here) and the others
	// are not here to test against: their models stay.
	switch in.framework() {
	case "", kindFlakeUtils, kindImportTree:
	default:
		return true
	}
	switch in.kind() {
	case kindNixpkgs, kindDarwin, kindDen:
		// den: see denModelNote.
		return true
	}
	s := strings.ToLower(in.name + " " + in.url)
	for _, w := range []string{"nixpkgs", "darwin", "nixos-unstable", "nixos-2"} {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// snowfallDepsInStore reports whether the snowfall-lib input of lock node
// key can run from its source: its flake-utils-plus input, whose mkFlake
// its own mkFlake is built on, is in the store too. Without it, the real
// snowfall-lib gives no hosts at all ("function lib.mkFlake of flake input
// flake-utils-plus (its source is not here)"; Svenum/holynix, a fork of
// snowfall-lib in the store without its flake-utils-plus: 0 of 9 hosts),
// where the model reads them.
func snowfallDepsInStore(l *LockFile, key string) bool {
	fup, ok := l.Input(key, "flake-utils-plus")
	return ok && l.source(fup) != ""
}

// snowfallModelNote says why snowfall-lib is read by the model.
func snowfallModelNote(name string) string {
	return "snowfall-lib (input " + name + ") read by the reader's model, not its source in the store: its input flake-utils-plus, on whose mkFlake snowfall-lib's is built, is not in the store"
}

// denModelNote says why den is read by the reader's model even with its
// source in the store: den's real code (its context pipeline, resolved by
// nix-effects, then an evalModules of its own for the flake's outputs)
// gave the reader no hosts at all on the den fixtures (TestDenRealSource),
// where the model reads every one of them as Nix does.
func denModelNote(name string) string {
	return "den (input " + name + ") read by the reader's model, not its source in the store: the reader gets no hosts from den's own code (its context pipeline on nix-effects)"
}

// noteModel adds a note once.
func (s *session) noteModel(note string) {
	for _, n := range s.modelNotes {
		if n == note {
			return
		}
	}
	s.modelNotes = append(s.modelNotes, note)
}

// inStore reports whether a path lies in the store (a locked input).
func inStore(p string) bool {
	return strings.HasPrefix(p, StoreDir()+"/") || inputCache != "" && strings.HasPrefix(p, inputCache+"/")
}

// lockedInput is input name of a lock node read from the store, when its
// source is there and the reader has no model of it. url is the input's
// url as flake.nix writes it, when known (else the lock's).
func lockedInput(ev *lang.Evaluator, l *LockFile, node, name, url string) (*lang.Thunk, bool) {
	key, ok := l.Input(node, name)
	if !ok {
		return nil, false
	}
	if url == "" {
		url = l.url(key)
	}
	dir := l.source(key)
	if dir == "" {
		return nil, false
	}
	in := inputStandIn{ev: ev, name: name, url: url}
	if fp, ok := flakePartsInput(in); ok && flakePartsLibInStore(l, key) {
		return realFlakePartsInput(storeFlake(ev, l, key, dir, name), fp), true
	}
	if in.kind() == kindSnowfall && !snowfallDepsInStore(l, key) {
		sessionOf(ev).noteModel(snowfallModelNote(name))
		return nil, false
	}
	if modelled(in) {
		if in.kind() == kindDen {
			sessionOf(ev).noteModel(denModelNote(name))
		}
		return nil, false
	}
	return storeFlake(ev, l, key, dir, name), true
}

// storeInputs gives the inputs of a lock node: the ones whose source is in
// the store as the real flakes, the others as stand-ins.
func storeInputs(ev *lang.Evaluator, l *LockFile, node string) *lang.Attrs {
	out := lang.NewAttrs()
	for name := range l.Nodes[node].Inputs {
		if t, ok := lockedInput(ev, l, node, name, ""); ok {
			out.SetThunk(name, t)
			continue
		}
		url := ""
		if key, ok := l.Input(node, name); ok {
			url = l.url(key)
		}
		lib := ""
		if key, ok := l.Input(node, name); ok {
			lib = realLibDir(l, key, name, url)
		}
		out.Set(name, &lang.Attrs{Dyn: inputStandIn{ev: ev, name: name, url: url, lib: lib}})
	}
	return out
}

// storeFlake evaluates an input's real flake.nix from the store, once.
func storeFlake(ev *lang.Evaluator, l *LockFile, key, dir, name string) *lang.Thunk {
	if t, ok := sessionOf(ev).storeFlakes[dir]; ok {
		return t
	}
	t := lang.Lazy(func() lang.Value {
		e, _, err := sessionOf(ev).load(filepath.Join(dir, "flake.nix"), lang.Span{})
		if err != nil {
			return &lang.Unknown{Why: "flake input " + name + " in the store: " + err.Error()}
		}
		top, ok := ev.Eval(e, ev.Root).(*lang.Attrs)
		if !ok {
			return &lang.Unknown{Why: "flake input " + name + ": flake.nix is not a set"}
		}
		outAttr, ok := top.Get("outputs")
		if !ok {
			return &lang.Unknown{Why: "flake input " + name + ": no outputs"}
		}
		inputs := storeInputs(ev, l, key)
		self := &lang.Attrs{}
		inputs.Set("self", self)
		outputs := lang.Lazy(func() lang.Value { return ev.Call(ev.Force(outAttr.T), lang.ValThunk(inputs), outAttr.T.Span()) })
		url := l.url(key)
		self.Dyn = selfSet{outputs: outputs, inputs: inputs, dir: dir, ev: ev, store: true,
			standIn: &inputStandIn{ev: ev, name: name, url: url, lib: realLibDir(l, key, name, url)}}
		return self
	})
	sessionOf(ev).storeFlakes[dir] = t
	sessionOf(ev).tree.Add(dir)
	if sessionOf(ev).storeNames == nil {
		sessionOf(ev).storeNames = map[string]string{}
	}
	sessionOf(ev).storeNames[dir] = name
	return t
}

// LockedInStore describes which inputs locked by dir/flake.lock have their
// source in the local store ("name:1" or "name:0", sorted): what decides
// whether an offline nix eval can fetch them.
func LockedInStore(dir string) string {
	l := ReadLock(dir)
	if l == nil {
		return ""
	}
	var out []string
	for name, n := range l.Nodes {
		if n.Locked.NarHash == "" {
			continue
		}
		present := "0"
		if p, err := SourceStorePath(n.Locked.NarHash); err == nil {
			if _, err := os.Stat(p); err == nil {
				present = "1"
			}
		}
		out = append(out, name+":"+present)
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}

// The fetched-input cache (package inputs, --fetch-inputs): a locked input
// that is not in the store may be in the cache, unpacked and checked
// against its narHash, in a directory named as its store path would be.
// Files there count as the store's: read, never a finding's place. The
// cache is looked in only while fetching is on (SetInputCache), so a run
// without it reads as if the cache were not there.

var inputCache string

// SetInputCache makes the reader look for locked inputs in dir too, after
// the store; "" turns that off.
func SetInputCache(dir string) {
	inputCache = filepath.Clean(dir)
	if dir == "" {
		inputCache = ""
	}
}

// fetchedSource is the cached copy of the store path p, if there is one
// with a flake.nix.
func fetchedSource(p string) string {
	if inputCache == "" {
		return ""
	}
	dir := filepath.Join(inputCache, filepath.Base(p))
	if st, err := os.Stat(filepath.Join(dir, "flake.nix")); err != nil || st.IsDir() {
		return ""
	}
	return dir
}

// ReadsInputSource reports whether the reader reads a locked input's source
// when it has it (a flake input named name, from url as flake.lock's
// original gives it), rather than keeping its own model (nixpkgs,
// nix-darwin, the flake frameworks): the inputs worth fetching.
func ReadsInputSource(name, url string) bool { return !modelled(inputStandIn{name: name, url: url}) }

// An input read from the store may rest on inputs of its own that are not
// there (Mic92/dotfiles' adios-flake, whose lib.mkFlake is built on the
// adios module system, an input of adios-flake that was not in the
// store): each becomes a stand-in, and what rests on it is unknown. When a
// function of the input's lib gives nothing but that unknown, the reader
// falls back to what it does without the input's source — the framework's
// model, or an input helper reading the configurations written in its
// argument — so that an input in the store never reads less than the same
// input absent; the reason names the input, the function and what stopped
// it. A value that is known, even in part, is kept as the real code made
// it.

// fallbackLib is lib of an input read from the store (s.standIn set).
func (s selfSet) fallbackLib() (*lang.Attr, bool) {
	ev := s.ev
	var real *lang.Attrs
	why := ""
	switch o := ev.Force(s.outputs).(type) {
	case *lang.Attrs:
		at, ok := o.Get("lib")
		if !ok {
			return nil, false
		}
		switch l := ev.Force(at.T).(type) {
		case *lang.Attrs:
			real = l
		case *lang.Unknown:
			why = l.Why
		default:
			return at, true
		}
	case *lang.Unknown:
		why = "its outputs: " + o.Why
	default:
		return nil, false
	}
	return &lang.Attr{T: lang.ValThunk(&lang.Attrs{Dyn: storeLib{real: real, why: why, in: *s.standIn}})}, true
}

// storeLib is the lib of an input read from the store, whose functions fall
// back to the reader's own when they give an unknown value (real nil: the
// lib itself is unknown, for why).
type storeLib struct {
	real *lang.Attrs
	why  string
	in   inputStandIn
}

func (l storeLib) Get(name string) (*lang.Attr, bool) {
	ev := l.in.ev
	if l.real == nil {
		return &lang.Attr{T: lang.ValThunk(l.in.fallbackFn(name, l.why))}, true
	}
	at, ok := l.real.Get(name)
	if !ok {
		return nil, false
	}
	t := lang.Lazy(func() lang.Value {
		switch fn := ev.Force(at.T).(type) {
		case *lang.Closure, *lang.Prim:
			return lang.NewPrim("lib."+name, 1, func(ev *lang.Evaluator, a []*lang.Thunk) lang.Value {
				v := ev.Call(fn, a[0], a[0].Span())
				if u, ok := v.(*lang.Unknown); ok && !u.Thrown {
					return ev.Call(l.in.fallbackFn(name, u.Why), a[0], a[0].Span())
				}
				return v
			})
		case *lang.Unknown:
			if !fn.Thrown {
				return l.in.fallbackFn(name, fn.Why)
			}
			return fn
		default:
			return fn
		}
	})
	return &lang.Attr{T: t, Bind: at.Bind}, true
}

func (l storeLib) Names() ([]string, bool) {
	if l.real == nil {
		return nil, false
	}
	return l.real.Names()
}

// Unlisted says why the lib's names are not known.
func (l storeLib) Unlisted() string {
	return "lib of flake input " + l.in.name + ": " + l.why
}

// fallbackFn is lib.<name> of the input as the reader has it without the
// source: the framework's function when it models one, else a helper that
// reads the configurations its argument writes; why is what stopped the
// real function.
func (in inputStandIn) fallbackFn(name, why string) lang.Value {
	if fw := in.frameworkFns(); fw != nil {
		if at, ok := fw.M[name]; ok {
			return in.ev.Force(at.T)
		}
	}
	return helperCall("lib."+name, "function lib."+name+" of flake input "+in.name+" (read from the store): "+why, 3)
}
