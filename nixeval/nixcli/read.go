// Package nixcli evaluates a flake's hosts with the real Nix (nix eval of a
// projection, project.nix, of the options the rules read) and turns the
// result into the model; positions come from the static reader (Base).
package nixcli

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/nixbuild-lint/nixbuild-lint/model"
)

//go:embed project.nix
var projection string

// Options configure evaluation with the real Nix.
type Options struct {
	Overrides []string      // NAME=REF, passed as --override-input NAME REF
	Timeout   time.Duration // per nix eval
	AllowIFD  bool
	Jobs      int  // parallel per-host evaluations when the batched one fails
	PerHost   bool // evaluate host by host from the start (measured slower; for benchmarks)
	Offline   bool // never download inputs (--eval auto: fail fast, then read statically)
	Impure    bool // nix eval --impure: the environment and the current system are readable
	// Progress is told about each host as it is evaluated (may be nil).
	Progress func(done, total int, host string)
}

// Error is a host that Nix failed to evaluate.
type Error struct {
	Host    string
	File    string
	Line    int
	Message string
}

func (e *Error) Error() string {
	where := ""
	if e.File != "" {
		where = fmt.Sprintf("%s:%d: ", e.File, e.Line)
	}
	return fmt.Sprintf("%shost %s does not evaluate: %s", where, e.Host, e.Message)
}

// HasNix reports whether a nix binary is on PATH.
func HasNix() bool {
	_, err := exec.LookPath("nix")
	return err == nil
}

// Base is what the static reader gives the values Nix evaluates: their
// positions, and the definition sites the fixer edits.
type Base interface {
	// Static is the static reading of the fleet (nil when it failed).
	Static() *model.Fleet
	// Place finds, in the files Nix names, where a host's options are
	// defined (for a host the static reader could not read).
	Place(locations map[string][]string) *model.Host
}

// FlakeError is a fault of the flake as a whole (no hosts, an attribute
// Nix cannot list), at a file of the tree.
type FlakeError struct{ File, Msg string }

func (e *FlakeError) Error() string { return e.File + ": " + e.Msg }

// SyntaxError is a file of the tree Nix cannot parse.
type SyntaxError struct {
	File string
	Line int
	Msg  string
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

// syntaxMessage words Nix's "syntax error, unexpected '=', expecting …" as
// the static reader words its own: "syntax error: unexpected '='".
func syntaxMessage(why string) string {
	rest := strings.TrimPrefix(strings.TrimPrefix(why, "syntax error"), ",")
	if i := strings.Index(rest, ", expecting"); i >= 0 {
		rest = rest[:i]
	}
	if rest = strings.TrimSpace(rest); rest == "" {
		return "syntax error"
	}
	return "syntax error: " + rest
}

// reader is one evaluation of the flake at root.
type reader struct{ root string }

// Read evaluates the flake at root with Nix: values from Nix, positions
// from the static reader where it could place them. It returns the fleet
// of every host that evaluated, and the hosts that did not.
func Read(ctx context.Context, root string, b Base, opts Options) (*model.Fleet, []*Error, error) {
	r := &reader{root: root}
	if opts.Timeout == 0 {
		opts.Timeout = 10 * time.Minute
	}
	if opts.Jobs == 0 {
		opts.Jobs = runtime.NumCPU()
	}
	// Positions (and the fixer's definition sites) come from the static
	// reader, read once Nix has evaluated something (under --eval auto a
	// failed evaluation falls back to a static read anyway); it may fail
	// where Nix succeeds, which only costs positions.
	fleet := &model.Fleet{Root: r.root, Eval: "nix", Files: map[string]string{}}
	var static *model.Fleet
	staticRead := false
	staticFleet := func() *model.Fleet {
		if !staticRead {
			staticRead = true
			static = b.Static()
			if static != nil {
				fleet.Files, fleet.Contents, fleet.PublicKeys, fleet.StoreInputs = static.Files, static.Contents, static.PublicKeys, static.StoreInputs
				fleet.SSHConfigHosts = static.SSHConfigHosts
			}
		}
		return static
	}
	var failed []*Error
	for _, kind := range []string{"nixos", "darwin"} {
		attr := kind + "Configurations"
		var raw []byte
		var err error
		if opts.PerHost {
			err = errors.New("per host")
		} else {
			raw, err = r.nixEval(ctx, opts, attr, "")
		}
		if err != nil && strings.Contains(err.Error(), "does not provide attribute") {
			continue
		}
		var hosts map[string]json.RawMessage
		if err == nil {
			err = json.Unmarshal(raw, &hosts)
		}
		if err != nil {
			// One host that does not evaluate must not hide the others:
			// evaluate them one by one.
			names, nerr := r.nixNames(ctx, opts, attr)
			if nerr != nil {
				if strings.Contains(nerr.Error(), "does not provide attribute") {
					continue
				}
				return nil, nil, nerr
			}
			hosts, failed = r.perHost(ctx, opts, attr, names, failed)
		}
		names := make([]string, 0, len(hosts))
		for n := range hosts {
			names = append(names, n)
		}
		sort.Strings(names)
		for i, n := range names {
			if opts.Progress != nil {
				opts.Progress(i+1, len(names), n)
			}
			var rh rawHost
			if err := json.Unmarshal(hosts[n], &rh); err != nil {
				return nil, nil, fmt.Errorf("nix eval gave unexpected JSON for %s: %w", n, err)
			}
			base := staticHost(staticFleet(), n)
			if base == nil {
				// The static reader could not read this host: place its
				// options in the files Nix says define them.
				base = b.Place(rh.Locations)
			}
			fleet.Hosts = append(fleet.Hosts, fromNix(n, rh, base))
		}
	}
	// A file that is not Nix at all stops the run, as it stops the static
	// reader (exit 2, one line naming the file and line).
	for _, f := range failed {
		if why, _ := nixWhy(f); f.File != "" && strings.HasPrefix(why, "syntax error") {
			return nil, nil, &SyntaxError{File: f.File, Line: f.Line, Msg: syntaxMessage(why)}
		}
	}
	// A host that did not evaluate stays in the fleet with every value
	// unknown: entries that point at it resolve, and nothing is claimed.
	for _, f := range failed {
		h := model.UnknownHost(f.Host, staticHost(staticFleet(), f.Host))
		// Nix stops on it too: a host-unreadable finding at Nix's place.
		why, col := nixWhy(f)
		h.NotRead = &model.NotRead{At: model.Loc{File: f.File, Line: f.Line, Column: col}, Why: "Nix cannot evaluate it: " + why, Broken: true}
		if f.File == "" {
			h.NotRead.At = h.Defined
		}
		fleet.Hosts = append(fleet.Hosts, h)
	}
	if len(fleet.Hosts) == 0 && len(failed) == 0 {
		return nil, nil, &FlakeError{File: "flake.nix", Msg: "found no hosts: the flake has no nixosConfigurations or darwinConfigurations"}
	}
	return fleet, failed, nil
}

func staticHost(f *model.Fleet, name string) *model.Host {
	if f == nil {
		return nil
	}
	for _, h := range f.Hosts {
		if h.Name == name {
			return h
		}
	}
	return nil
}

func (r *reader) nixArgs(opts Options) []string {
	// No evaluation cache: --apply makes it useless, and parallel per-host
	// evaluations would contend for its database.
	args := []string{"eval", "--json", "--extra-experimental-features", "nix-command flakes", "--no-write-lock-file", "--option", "eval-cache", "false"}
	if opts.Offline {
		// --offline alone still fetches what flake.lock does not lock;
		// the reader checks first that nothing needs fetching
		// (nixeval.OfflineProblem), and these bound what Nix could
		// still try: no binary caches, one attempt, and a connection
		// that does not open or stalls is given up after a few seconds.
		args = append(args, "--offline", "--option", "substituters", "",
			"--option", "connect-timeout", "5", "--option", "stalled-download-timeout", "5",
			"--option", "download-attempts", "1")
	}
	if opts.Impure {
		args = append(args, "--impure")
	}
	if !opts.AllowIFD {
		args = append(args, "--option", "allow-import-from-derivation", "false")
	}
	for _, o := range opts.Overrides {
		name, ref, _ := strings.Cut(o, "=")
		args = append(args, "--override-input", name, ref)
	}
	return args
}

func (r *reader) nixEval(ctx context.Context, opts Options, attr, apply string) ([]byte, error) {
	if apply == "" {
		kind := strings.TrimSuffix(attr, "Configurations")
		if i := strings.IndexByte(attr, '.'); i >= 0 {
			// One host: project it as the only member of a set.
			kind = strings.TrimSuffix(attr[:i], "Configurations")
			apply = "h: ((" + strings.ReplaceAll(projection, "@KIND@", kind) + ") { x = h; }).x"
		} else {
			apply = strings.ReplaceAll(projection, "@KIND@", kind)
		}
	}
	ctx, cancel := context.WithTimeout(ctx, opts.Timeout)
	defer cancel()
	if opts.Progress != nil && !strings.Contains(attr, ".") && !strings.HasPrefix(apply, "builtins.") {
		// A heartbeat while the one batched evaluation runs.
		stop := make(chan struct{})
		defer close(stop)
		go func() {
			t := time.NewTicker(250 * time.Millisecond)
			defer t.Stop()
			for {
				select {
				case <-stop:
					return
				case <-t.C:
					opts.Progress(0, 0, attr)
				}
			}
		}()
	}
	args := append(r.nixArgs(opts), "path:"+r.root+"#"+attr, "--apply", apply)
	cmd := exec.CommandContext(ctx, "nix", args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() == context.DeadlineExceeded {
			return nil, fmt.Errorf("nix eval of %s timed out after %v", attr, opts.Timeout)
		}
		return nil, errors.New(nixMessage(stderr.String()))
	}
	return stdout.Bytes(), nil
}

func (r *reader) nixNames(ctx context.Context, opts Options, attr string) ([]string, error) {
	raw, err := r.nixEval(ctx, opts, attr, "builtins.attrNames")
	if err != nil {
		return nil, &FlakeError{File: "flake.nix", Msg: "nix eval: " + err.Error()}
	}
	var names []string
	err = json.Unmarshal(raw, &names)
	return names, err
}

// perHost evaluates hosts one by one, in parallel.
func (r *reader) perHost(ctx context.Context, opts Options, attr string, names []string, failed []*Error) (map[string]json.RawMessage, []*Error) {
	out := map[string]json.RawMessage{}
	var mu sync.Mutex
	sem := make(chan struct{}, opts.Jobs)
	var wg sync.WaitGroup
	for _, n := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			raw, err := r.nixEval(ctx, opts, attr+"."+quoteAttr(n), "")
			mu.Lock()
			defer mu.Unlock()
			if opts.Progress != nil {
				opts.Progress(len(out)+len(failed)+1, len(names), n)
			}
			if err != nil {
				ne := &Error{Host: n, Message: err.Error()}
				ne.File, ne.Line = nixPosition(err.Error(), r.root)
				failed = append(failed, ne)
				return
			}
			out[n] = raw
		}()
	}
	wg.Wait()
	sort.Slice(failed, func(i, j int) bool { return failed[i].Host < failed[j].Host })
	return out, failed
}

func quoteAttr(n string) string {
	if regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_'-]*$`).MatchString(n) {
		return n
	}
	return `"` + strings.ReplaceAll(n, `"`, `\"`) + `"`
}

var reNixAt = regexp.MustCompile(`at (/nix/store/[a-z0-9]+-source|[^:\s]+)/([^:\s]+):(\d+):\d+:`)

// nixPosition finds the first "at …/file:line:col:" of Nix's error in the
// checked tree (the flake is copied to the store as …-source).
func nixPosition(msg, root string) (string, int) {
	for _, m := range reNixAt.FindAllStringSubmatch(msg, -1) {
		var line int
		_, _ = fmt.Sscan(m[3], &line)
		file := m[2]
		if strings.HasPrefix(m[1], "/nix/store/") || strings.HasPrefix(m[1], root) {
			return strings.TrimPrefix(file, strings.TrimPrefix(root, m[1])+"/"), line
		}
	}
	return "", 0
}

// nixMessage keeps Nix's error and drops its lock file chatter.
func nixMessage(stderr string) string {
	var keep []string
	for _, l := range strings.Split(stderr, "\n") {
		t := strings.TrimSpace(l)
		if t == "" || strings.HasPrefix(t, "warning: not writing modified lock file") || strings.HasPrefix(t, "• Added input") ||
			strings.HasPrefix(t, "• Updated input") || strings.HasPrefix(t, "'path:") || strings.HasPrefix(t, "→ 'path:") ||
			strings.HasPrefix(t, "(use '--show-trace'") || strings.HasPrefix(t, "error (ignored):") {
			continue
		}
		keep = append(keep, t)
	}
	return strings.TrimPrefix(strings.Join(keep, " "), "error: ")
}

// nixWhy is the first sentence of Nix's message, without the store path
// and source excerpt that follow it, and the column Nix names.
func nixWhy(f *Error) (string, int) {
	msg, col := f.Message, 1
	if i := strings.Index(msg, " at /nix/store/"); i >= 0 {
		where := msg[i:]
		msg = msg[:i]
		if f.File != "" {
			if j := strings.Index(where, f.File+":"); j >= 0 {
				var line, c int
				if n, _ := fmt.Sscanf(where[j+len(f.File)+1:], "%d:%d", &line, &c); n == 2 && line == f.Line {
					col = c
				}
			}
		}
	}
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	return strings.TrimSpace(msg), col
}
