package nixeval

import (
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/nixbuild-lint/nixbuild-lint/nixeval/lang"
)

// Offline means offline. Nix 2.8's --offline only takes downloaded files as
// up to date: it still fetches an input flake.lock does not lock (and a
// server that accepts and never answers held it for the whole
// --eval-timeout). So before --eval auto runs Nix at all, the reader checks
// that Nix would find every input of the flake without the network: each
// declared input (and each one outputs takes without declaring, which Nix
// looks up in the registry) is overridden by a local path, or locked in
// flake.lock with its source already in the store, or a local path itself.

// OfflineProblem is why Nix would need the network to evaluate the flake
// at the reader's root with these --override-input NAME=REF values, or ""
// when it would not.
func (r *Reader) OfflineProblem(overrides []string) (why string) {
	defer func() {
		if p := recover(); p != nil {
			why = "flake.nix could not be read to check its inputs"
		}
	}()
	flake := filepath.Join(r.Root, "flake.nix")
	names, urls, err := r.declaredInputs(flake)
	if err != nil {
		return "flake.nix could not be read to check its inputs (" + firstLine(err.Error()) + ")"
	}
	overridden := map[string]bool{}
	for _, o := range overrides {
		name, ref, _ := strings.Cut(o, "=")
		if !localRef(ref) {
			return "--override-input " + name + " " + ref + " would be fetched"
		}
		overridden[name] = true
	}
	lock := ReadLock(r.Root)
	for _, n := range names {
		if overridden[n] {
			continue
		}
		if localRef(urls[n]) {
			continue
		}
		if lock == nil {
			if _, err := os.Stat(filepath.Join(r.Root, "flake.lock")); err == nil {
				return "flake.lock is not a lock file Nix can read"
			}
			return "no flake.lock: Nix would fetch input " + n + " to lock it"
		}
		key, ok := lock.Input(lock.Root, n)
		if !ok {
			return "input " + n + " is not in flake.lock: Nix would fetch it to lock it"
		}
		node := lock.Nodes[key]
		if node.Locked.Type == "path" {
			continue // a local directory: copied, never downloaded
		}
		if node.Locked.NarHash == "" {
			return "input " + n + " is not locked in flake.lock (no narHash)"
		}
		p, err := SourceStorePath(node.Locked.NarHash)
		if err != nil {
			return "input " + n + ": " + err.Error()
		}
		if _, err := os.Stat(p); err != nil {
			what := lock.url(key)
			if what == "" {
				what = key
			}
			return "input " + n + " (" + what + ") is not in the Nix store"
		}
	}
	return ""
}

// declaredInputs are the names of the flake's inputs: the inputs attribute
// and the arguments outputs takes without a default (but self), with the
// url written for each.
func (r *Reader) declaredInputs(flake string) ([]string, map[string]string, error) {
	sess := newSession(r, true)
	ev := lang.NewEvaluator(sess)
	e, src, err := r.load(flake, lang.Span{})
	if err != nil {
		return nil, nil, err
	}
	top, _, outFn, err := flakeOutputsFn(ev, e, src)
	if err != nil {
		return nil, nil, err
	}
	urls := map[string]string{}
	seen := map[string]bool{}
	var names []string
	if ia, ok := top.Get("inputs"); ok {
		if ins, ok := ev.Force(ia.T).(*lang.Attrs); ok {
			ns, _ := ins.Names()
			for _, n := range ns {
				names = append(names, n)
				seen[n] = true
				urls[n] = inputURL(ev, ins, n)
			}
		}
	}
	if c, ok := outFn.(*lang.Closure); ok {
		for _, f := range c.L.Formals {
			if !seen[f.Name] && f.Name != "self" && f.Default == nil {
				names = append(names, f.Name)
				seen[f.Name] = true
			}
		}
	}
	sort.Strings(names)
	return names, urls, nil
}

// localRef reports whether a flake reference names a local directory.
func localRef(ref string) bool {
	return strings.HasPrefix(ref, "path:") || strings.HasPrefix(ref, "/") || strings.HasPrefix(ref, "./") ||
		strings.HasPrefix(ref, "../") || ref == "." || strings.HasPrefix(ref, "git+file:")
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
