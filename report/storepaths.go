package report

import (
	"path"
	"path/filepath"
	"strings"

	"github.com/nixbuild-lint/nixbuild-lint/model"
	"github.com/nixbuild-lint/nixbuild-lint/rules"
)

// StorePaths rewrites the places of findings that lie in the Nix store (a
// flake input read from there), which are relative to root as
// ../../../../nix/store/<hash>-source/modules/age.nix: for people (text,
// github) as <input agenix>/modules/age.nix, naming the input by inputs
// (source directory → input name); for programs (json, sarif, rdjson,
// absolute set) as the absolute store path. Other places are kept.
func StorePaths(fs []rules.Finding, root string, inputs map[string]string, absolute bool) []rules.Finding {
	out := make([]rules.Finding, len(fs))
	for i, f := range fs {
		f.At = storeLoc(f.At, root, inputs, absolute)
		if len(f.Related) > 0 {
			rel := make([]rules.Related, len(f.Related))
			for j, r := range f.Related {
				r.At = storeLoc(r.At, root, inputs, absolute)
				rel[j] = r
			}
			f.Related = rel
		}
		out[i] = f
	}
	return out
}

func storeLoc(l model.Loc, root string, inputs map[string]string, absolute bool) model.Loc {
	var abs string
	switch {
	case strings.HasPrefix(l.File, "/"): // a store file named by its store path
		abs = filepath.ToSlash(filepath.Clean(l.File))
	case strings.HasPrefix(l.File, "../"):
		abs = filepath.ToSlash(filepath.Clean(filepath.Join(root, filepath.FromSlash(l.File))))
	default:
		return l
	}
	if !strings.Contains(abs, "/nix/store/") && !inInput(abs, inputs) {
		return l
	}
	if absolute {
		l.File = abs
		return l
	}
	best := ""
	for dir := range inputs {
		d := filepath.ToSlash(dir)
		if strings.HasPrefix(abs, d+"/") && len(d) > len(best) {
			best = d
		}
	}
	if best != "" {
		l.File = "<input " + inputs[best] + ">/" + strings.TrimPrefix(abs, best+"/")
	} else {
		l.File = abs
	}
	return l
}

func inInput(abs string, inputs map[string]string) bool {
	for dir := range inputs {
		if strings.HasPrefix(abs, filepath.ToSlash(dir)+"/") {
			return true
		}
	}
	return false
}

// repoPath is a file's path for a report that wants paths from the
// repository root: the checked directory's prefix joined to it, unless it
// is outside the tree (an absolute store path, an <input …> name).
func repoPath(prefix, file string) string {
	if strings.HasPrefix(file, "/") || strings.HasPrefix(file, "<input ") {
		return file
	}
	return path.Join(prefix, file)
}
