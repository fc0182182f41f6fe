package fixer

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
)

// Write writes every changed file, all of them or none:
//
//   - each new content goes to a temporary file in the same directory, is
//     synced, and gets the old file's owner, group and mode (setuid, setgid
//     and sticky bits too);
//   - a file outside the root (symlinks resolved), a file that changed on
//     disk since it was read, a read-only file, a file with more than one
//     hard link (replacing it would leave its other names with the old
//     text), or an owner that cannot be kept stops the run before anything
//     is renamed;
//   - only when all are ready are they renamed over the originals; if one
//     rename fails (an immutable file, a file bind-mounted over), the files
//     already renamed get their old content back (the original file itself,
//     kept under a second name until the end) and the error says nothing was
//     written.
//
// Temporary files are named .NAME.nixbuild-lint-PID-RANDOM; a later run
// removes those of a process that no longer runs (one killed with SIGKILL).
func (r *Result) Write() error {
	root, err := filepath.EvalSymlinks(r.Root)
	if err != nil {
		return err
	}
	removeStaleTemps(r.dirs())
	type staged struct {
		file, tmp, dst string
		backup         string // the original under a second name, once linked
	}
	var ready []*staged
	cleanup := func() {
		for _, s := range ready {
			_ = os.Remove(s.tmp)
			if s.backup != "" {
				_ = os.Remove(s.backup)
			}
		}
	}
	fail := func(format string, args ...any) error {
		cleanup()
		return fmt.Errorf(format, args...)
	}
	beforeWrite()
	for _, file := range r.Changed() {
		dst := filepath.Join(r.Root, filepath.FromSlash(file))
		real, err := filepath.EvalSymlinks(dst)
		if err != nil {
			return fail("%s: %w; nothing written", file, bareErr(err))
		}
		if rel, err := filepath.Rel(root, real); err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return fail("%s: refusing to write outside %s (it resolves to %s); nothing written", file, r.Root, real)
		}
		cur, err := os.ReadFile(real)
		if err != nil {
			return fail("%s: %w; nothing written", file, bareErr(err))
		}
		if string(cur) != string(r.Before[file]) {
			return fail("%s changed on disk since it was read; nothing written", file)
		}
		st, err := os.Stat(real)
		if err != nil {
			return fail("%s: %w; nothing written", file, bareErr(err))
		}
		if st.Mode().Perm()&0o222 == 0 {
			return fail("%s is read-only; nothing written", file)
		}
		sys, _ := st.Sys().(*syscall.Stat_t)
		if sys != nil && sys.Nlink > 1 {
			return fail("%s has %d hard links: replacing it would leave the other names with the old text (fix it with --diff | git apply, which writes through the link); nothing written", file, sys.Nlink)
		}
		tmp, err := os.CreateTemp(filepath.Dir(real), tempPrefix(filepath.Base(real))+"*")
		if err != nil {
			return fail("%s: cannot write next to it: %w; nothing written", file, bareErr(err))
		}
		ready = append(ready, &staged{file: file, tmp: tmp.Name(), dst: real})
		_, werr := tmp.Write(r.After[file])
		if werr == nil {
			werr = tmp.Sync()
		}
		if cerr := tmp.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return fail("%s: %w; nothing written", file, bareErr(werr))
		}
		if sys != nil {
			if err := os.Lchown(tmp.Name(), int(sys.Uid), int(sys.Gid)); err != nil {
				if t, terr := os.Stat(tmp.Name()); terr != nil || t.Sys().(*syscall.Stat_t).Uid != sys.Uid || t.Sys().(*syscall.Stat_t).Gid != sys.Gid {
					return fail("%s: cannot keep its owner %d:%d (%v); nothing written", file, sys.Uid, sys.Gid, bareErr(err))
				}
			}
		}
		// After the chown, which clears setuid and setgid.
		if err := os.Chmod(tmp.Name(), st.Mode()&(os.ModePerm|os.ModeSetuid|os.ModeSetgid|os.ModeSticky)); err != nil {
			return fail("%s: %w; nothing written", file, bareErr(err))
		}
	}
	// Keep each original reachable under a second name, so that a failed
	// rename can put back the ones before it.
	for _, s := range ready {
		b := s.tmp + ".orig"
		if err := os.Link(s.dst, b); err == nil {
			s.backup = b
		}
	}
	for i, s := range ready {
		err := os.Rename(s.tmp, s.dst)
		if err == nil {
			continue
		}
		var kept, lost []string
		for _, p := range ready[:i] {
			if p.backup != "" && os.Rename(p.backup, p.dst) == nil {
				p.backup = ""
				kept = append(kept, p.file)
			} else if p.backup == "" && restoreCopy(p.dst, r.Before[p.file]) == nil {
				kept = append(kept, p.file)
			} else {
				lost = append(lost, p.file)
			}
		}
		cleanup()
		if len(lost) > 0 {
			return fmt.Errorf("%s: cannot replace it (%w); %s could not be put back and hold the fix, the rest is as it was", s.file, bareErr(err), strings.Join(lost, ", "))
		}
		msg := fmt.Sprintf("%s: cannot replace it (%v); nothing written", s.file, bareErr(err))
		if len(kept) > 0 {
			msg += " (" + strings.Join(kept, ", ") + " put back as it was)"
		}
		return errors.New(msg)
	}
	for _, s := range ready {
		if s.backup != "" {
			_ = os.Remove(s.backup)
		}
	}
	return nil
}

// restoreCopy writes old over path in place; it puts back a file whose
// original could not be linked (the last resort of a failed run).
func restoreCopy(path string, old []byte) error {
	return os.WriteFile(path, old, 0)
}

// bareErr is err without the path os put in it (the messages name the
// file relative to the flake; a temporary file's absolute path says nothing).
func bareErr(err error) error {
	var pe *os.PathError
	var le *os.LinkError
	switch {
	case errors.As(err, &pe):
		return pe.Err
	case errors.As(err, &le):
		return le.Err
	}
	return err
}

const tempMark = ".nixbuild-lint-"

// tempPrefix names the temporary files of base for this process.
func tempPrefix(base string) string {
	return "." + base + tempMark + strconv.Itoa(os.Getpid()) + "-"
}

// dirs are the directories a run may have left temporary files in: those of
// every file the fleet was read from.
func (r *Result) dirs() []string {
	seen := map[string]bool{r.Root: true}
	if r.Fleet != nil {
		for f := range r.Fleet.Files {
			seen[filepath.Dir(filepath.Join(r.Root, filepath.FromSlash(f)))] = true
		}
	}
	for f := range r.After {
		seen[filepath.Dir(filepath.Join(r.Root, filepath.FromSlash(f)))] = true
	}
	out := make([]string, 0, len(seen))
	for d := range seen {
		out = append(out, d)
	}
	sort.Strings(out)
	return out
}

// removeStaleTemps removes the temporary files of runs that were killed: a
// regular file named .NAME.nixbuild-lint-PID-… whose process is gone.
// Those of a run still going (another --fix at the same time) stay.
func removeStaleTemps(dirs []string) {
	for _, d := range dirs {
		ents, err := os.ReadDir(d)
		if err != nil {
			continue
		}
		for _, e := range ents {
			name := e.Name()
			i := strings.LastIndex(name, tempMark)
			if !strings.HasPrefix(name, ".") || i < 0 || !e.Type().IsRegular() {
				continue
			}
			pidText, _, ok := strings.Cut(name[i+len(tempMark):], "-")
			pid, err := strconv.Atoi(pidText)
			if !ok || err != nil || pid <= 0 || pid == os.Getpid() || processRuns(pid) {
				continue
			}
			_ = os.Remove(filepath.Join(d, name))
		}
	}
}

func processRuns(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
