package fixer

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/nixbuild-lint/nixbuild-lint/internal/treefs"
	"github.com/nixbuild-lint/nixbuild-lint/model"
	"github.com/nixbuild-lint/nixbuild-lint/nixeval"
	"github.com/nixbuild-lint/nixbuild-lint/nixeval/lang"
	"github.com/nixbuild-lint/nixbuild-lint/rules"
)

// MaxRounds bounds how often a fix may uncover another fixable finding.
const MaxRounds = 5

// Applied is one fix the run made.
type Applied struct {
	Rule    string
	Host    string
	Message string
	Files   []string
}

// NotFixed is a fixable-looking finding the run left alone, and why.
type NotFixed struct {
	Finding rules.Finding
	Reason  string
}

// Result is what a fix run would change.
type Result struct {
	Root     string
	Before   map[string][]byte // relative path -> contents as first read
	After    map[string][]byte // relative path -> contents after all fixes
	Applied  []Applied
	NotFixed []NotFixed
	Fleet    *model.Fleet    // the fleet as it reads after the fixes
	Findings []rules.Finding // and its findings
}

// Changed lists the files whose contents change, sorted.
func (r *Result) Changed() []string {
	var out []string
	for f, after := range r.After {
		if string(after) != string(r.Before[f]) {
			out = append(out, f)
		}
	}
	sort.Strings(out)
	return out
}

// Diff is the unified diff of every changed file.
func (r *Result) Diff() string {
	var b strings.Builder
	for _, f := range r.Changed() {
		b.WriteString(Unified(f, string(r.Before[f]), string(r.After[f])))
	}
	return b.String()
}

func fixKey(f rules.Fix) string {
	return fmt.Sprintf("%s|%s|%s|%d|%s|%s", f.Host, f.Kind, f.Option, f.Entry, f.Field, strings.Join(f.Values, ","))
}

// Run reads the fleet, applies every fix it can in memory, reads the fleet
// again with the edits and repeats while fixes uncover new fixable
// findings. Nothing is written.
func Run(root string, hosts []nixeval.HostArg, opts rules.Options) (*Result, error) {
	return RunLevel(root, hosts, opts, rules.Warning)
}

// RunLevel is Run for the findings at or above a severity: advice (info)
// is applied only when asked for with --fail-level info.
func RunLevel(root string, hosts []nixeval.HostArg, opts rules.Options, level rules.Severity) (*Result, error) {
	return RunWith(root, opts, level, StaticReader(hosts))
}

// ReadFunc reads the fleet at root as it would be with the files in
// overlay (absolute path → contents) instead of those on disk; the
// returned root is the absolute directory positions are relative to.
type ReadFunc func(root string, overlay map[string][]byte) (*model.Fleet, string, error)

// StaticReader reads with the static reader.
func StaticReader(hosts []nixeval.HostArg) ReadFunc {
	return func(root string, overlay map[string][]byte) (*model.Fleet, string, error) {
		r := nixeval.NewReader(root)
		r.Overlay = overlay
		f, err := r.Read(root, hosts)
		return f, r.Root, err
	}
}

// RunWith is RunLevel with the reader given (--eval nix plans and re-checks
// every round with Nix).
func RunWith(root string, opts rules.Options, level rules.Severity, read ReadFunc) (*Result, error) {
	// A fix whose finding is still there after it was applied did not take
	// effect (it edited a definition something else overrides): run again
	// without it and say so.
	bad := map[string]string{}
	for {
		res, ineffective, err := runOnce(root, read, opts, level, bad)
		if err != nil || ineffective == "" {
			return res, err
		}
		bad[ineffective] = "the edit would not take effect (something else decides this value)"
	}
}

func runOnce(root string, read ReadFunc, opts rules.Options, level rules.Severity, bad map[string]string) (*Result, string, error) {
	res := &Result{Before: map[string][]byte{}, After: map[string][]byte{}}
	overlay := map[string][]byte{}
	done := map[string]bool{}
	var firstHashes map[string]string
	for round := 0; ; round++ {
		fleet, absRoot, err := read(root, overlay)
		if err != nil {
			if round > 0 {
				return nil, "", fmt.Errorf("the fixed configuration no longer reads: %w", err)
			}
			return nil, "", err
		}
		res.Root = absRoot
		if firstHashes == nil {
			firstHashes = fleet.Files
		}
		o := opts
		o.ReadFile = func(rel string) ([]byte, error) {
			abs := filepath.Join(absRoot, filepath.FromSlash(rel))
			if d, ok := overlay[abs]; ok {
				return d, nil
			}
			return treefs.ReadRegular(abs, treefs.MaxNixFile)
		}
		findings := rules.Check(fleet, o)
		res.Fleet, res.Findings = fleet, findings
		if round == MaxRounds {
			break
		}
		planner := NewPlanner(absRoot, fleet, overlay)
		var pending []Edit
		planned := map[string]bool{} // fixes planned in this round
		progress := false
		res.NotFixed = nil
		for _, f := range findings {
			if f.Severity < level {
				continue
			}
			// A finding's fixes are alternatives, best first: apply the
			// first one that can be planned.
			var reasons []string
			for _, fx := range f.Fixes {
				key := fixKey(fx)
				if planned[key] {
					// The same change for another finding (clients sharing
					// a builder): already on its way.
					reasons = nil
					break
				}
				if done[key] {
					return nil, key, nil
				}
				if why, ok := bad[key]; ok {
					reasons = append(reasons, why)
					continue
				}
				edits, err := planner.Plan(fx)
				var ref *Refusal
				if errors.As(err, &ref) {
					reasons = append(reasons, ref.Reason)
					continue
				}
				if err != nil {
					return nil, "", err
				}
				reasons = nil
				clash := false
				for _, e := range edits {
					for _, q := range pending {
						if overlaps(e, q) {
							clash = true
						}
					}
				}
				if clash {
					break // next round, against the edited text
				}
				done[key] = true
				planned[key] = true
				progress = true
				pending = append(pending, edits...)
				ap := Applied{Rule: f.Rule, Host: fx.Host, Message: fx.Message}
				for _, e := range edits {
					ap.Files = appendUnique(ap.Files, e.File)
				}
				res.Applied = append(res.Applied, ap)
				break
			}
			if len(reasons) > 0 {
				res.NotFixed = append(res.NotFixed, NotFixed{Finding: f, Reason: strings.Join(reasons, "; ")})
			}
		}
		if !progress {
			break
		}
		byFile := map[string][]Edit{}
		for _, e := range pending {
			byFile[e.File] = append(byFile[e.File], e)
		}
		for file, edits := range byFile {
			data, err := planner.content(file)
			if err != nil {
				return nil, "", err
			}
			if _, seen := res.Before[file]; !seen {
				res.Before[file] = data
			}
			out, err := apply(data, edits)
			if err != nil {
				return nil, "", err
			}
			abs := filepath.Join(absRoot, filepath.FromSlash(file))
			if _, err := lang.ParseSource(lang.NewSource(abs, file, out)); err != nil {
				return nil, "", fmt.Errorf("%s: the fix would not parse (%w); nothing written", file, err)
			}
			overlay[abs] = out
			res.After[file] = out
		}
	}
	for file := range res.Before {
		if want, ok := firstHashes[file]; ok && hash(res.Before[file]) != want {
			return nil, "", fmt.Errorf("%s changed on disk while it was being read; nothing written", file)
		}
	}
	return res, "", nil
}

func hash(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func appendUnique(xs []string, x string) []string {
	for _, y := range xs {
		if y == x {
			return xs
		}
	}
	return append(xs, x)
}

// beforeWrite runs between the last check and the writes; tests use it to
// change a file at the worst moment, a race that cannot be timed for real.
var beforeWrite = func() {}

// SetBeforeWrite replaces the hook that runs just before files are written
// and returns a function restoring it. Only tests use it.
func SetBeforeWrite(fn func()) (restore func()) {
	old := beforeWrite
	beforeWrite = fn
	return func() { beforeWrite = old }
}
