package inputs

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/nixbuild-lint/nixbuild-lint/nixeval"
)

// A git input is fetched as Nix fetches it: the locked revision into a
// bare repository of its own, then `git archive` of that revision, which is
// the source (export-ignore attributes applied, as Nix applies them). The
// git client only talks http(s) here, asks for no password, and runs
// nothing of what it fetched (a fresh bare repository has no hooks).

// git fetches the locked revision of a git input into gitDir and unpacks
// its export below dir.
func (f *fetcher) git(ctx context.Context, l nixeval.LockRef, gitDir, dir string, lim limits) (string, error) {
	if l.Submodules {
		return "", errors.New("a git input with submodules is not fetched")
	}
	if !isRev(l.Rev) {
		return "", fmt.Errorf("the locked rev %q is not a commit hash", l.Rev)
	}
	if _, err := exec.LookPath("git"); err != nil {
		return "", errors.New("fetching a git input needs git on PATH")
	}
	ctx, cancel := context.WithTimeout(ctx, f.o.RequestTimeout)
	defer cancel()
	repo := filepath.Join(gitDir, "repo.git")
	if err := os.Mkdir(repo, 0o755); err != nil {
		return "", err
	}
	run := func(stdout io.Writer, verb string, args ...string) error {
		stall := strconv.Itoa(max(int(f.o.Timeout.Seconds()), 1))
		full := append([]string{"-C", repo, "-c", "protocol.allow=never", "-c", "protocol.https.allow=always", "-c", "protocol.http.allow=always",
			"-c", "http.lowSpeedLimit=1", "-c", "http.lowSpeedTime=" + stall, "-c", "core.hooksPath=" + os.DevNull, verb}, args...)
		cmd := exec.CommandContext(ctx, "git", full...)
		cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0", "GIT_ASKPASS=", "SSH_ASKPASS=", "GIT_CONFIG_NOSYSTEM=1", "LC_ALL=C")
		var stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = stdout, &stderr
		if err := cmd.Run(); err != nil {
			if ctx.Err() != nil {
				return fmt.Errorf("git %s took longer than %s (timed out)", verb, f.o.RequestTimeout)
			}
			return fmt.Errorf("git %s: %s", verb, lastLine(stderr.String(), err))
		}
		return nil
	}
	if err := run(nil, "init", "--bare", "-q"); err != nil {
		return "", err
	}
	// By revision, shallow (what forges and git's protocol v2 allow); else
	// the locked ref with its history, which holds the revision.
	err := run(nil, "fetch", "--depth=1", "--no-tags", "-q", "--", l.URL, l.Rev)
	if err != nil && l.Ref != "" {
		if run(nil, "fetch", "--no-tags", "-q", "--", l.URL, l.Ref) == nil {
			err = run(io.Discard, "cat-file", "-e", l.Rev+"^{commit}")
		}
	}
	if err != nil {
		return "", err
	}
	pr, pw := io.Pipe()
	errc := make(chan error, 1)
	go func() {
		err := run(pw, "archive", "--format=tar", l.Rev)
		_ = pw.CloseWithError(err)
		errc <- err
	}()
	root, err := unpackTar(pr, dir, false, lim)
	if err == nil {
		_, _ = io.Copy(io.Discard, io.LimitReader(pr, 1<<20)) // the tar's end padding
	}
	_ = pr.CloseWithError(errors.New("unpacking stopped"))
	if aerr := <-errc; err == nil && aerr != nil {
		err = aerr
	}
	return root, err
}

// lastLine is the last line git printed (its "fatal: …"), else err.
func lastLine(stderr string, err error) string {
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	if l := strings.TrimSpace(lines[len(lines)-1]); l != "" {
		return l
	}
	return err.Error()
}

// isRev reports whether s is a full commit hash (sha1 or sha256).
func isRev(s string) bool {
	if len(s) != 40 && len(s) != 64 {
		return false
	}
	for _, c := range s {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
