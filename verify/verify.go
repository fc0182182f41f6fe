// Package verify proves a build machine works: it pings the machine's
// store, then builds a never-cached probe derivation for every system the
// entry claims with --max-jobs 0 and --builders set to exactly that
// entry's machines line, and checks that the probe ran on the right
// architecture on that machine.
package verify

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nixbuild-lint/nixbuild-lint/diagnose"
	"github.com/nixbuild-lint/nixbuild-lint/model"
	"github.com/nixbuild-lint/nixbuild-lint/probe"
)

// Target is one build machine to verify, as Nix will see it.
type Target struct {
	Client    string   `json:"client"`
	Builder   string   `json:"builder"`
	Line      string   `json:"machinesLine"`
	URI       string   `json:"uri"`
	SSHKey    string   `json:"-"`
	HostKey   string   `json:"-"`
	Systems   []string `json:"systems"`
	Supported []string `json:"supportedFeatures"`
	Mandatory []string `json:"mandatoryFeatures"`
}

// Result is one (builder, system, feature set) check.
type Result struct {
	Client    string               `json:"client"`
	Builder   string               `json:"builder"`
	System    string               `json:"system"`
	Features  []string             `json:"features"`
	Status    string               `json:"status"` // ok, failed, skipped
	Cause     string               `json:"cause,omitempty"`
	Rule      string               `json:"rule,omitempty"`
	Machine   string               `json:"machine,omitempty"` // what the probe's uname said
	BuiltOn   string               `json:"builtOn,omitempty"`
	Duration  time.Duration        `json:"durationNs"`
	Diagnoses []diagnose.Diagnosis `json:"diagnoses,omitempty"`
}

func dash(xs []string) string {
	if len(xs) == 0 {
		return "-"
	}
	return strings.Join(xs, ",")
}

// Render writes an entry's /etc/nix/machines line the way NixOS does.
func Render(m *model.Machine) (string, error) {
	if m.Unknown || m.HostName.Unknown || m.System.Unknown || m.Systems.Unknown || m.SSHUser.Unknown || m.SSHKey.Unknown ||
		m.Protocol.Unknown || m.MaxJobs.Unknown || m.SpeedFactor.Unknown || m.SupportedFeatures.Unknown || m.MandatoryFeatures.Unknown || m.PublicHostKey.Unknown {
		return "", errors.New("the entry has values the static reader cannot know")
	}
	uri := m.HostName.V
	if !m.SSHUser.Null {
		uri = m.SSHUser.V + "@" + uri
	}
	if !m.Protocol.Null {
		uri = m.Protocol.V + "://" + uri
	}
	systems := dash(m.Systems.V)
	if !m.System.Null {
		systems = m.System.V
	}
	key := "-"
	if !m.SSHKey.Null {
		key = m.SSHKey.V
	}
	hostKey := "-"
	if !m.PublicHostKey.Null {
		hostKey = m.PublicHostKey.V
	}
	feats := append(append([]string{}, m.SupportedFeatures.V...), m.MandatoryFeatures.V...)
	return fmt.Sprintf("%s %s %s %s %s %s %s %s", uri, systems, key, fmt.Sprint(m.MaxJobs.V), fmt.Sprint(m.SpeedFactor.V),
		dash(feats), dash(m.MandatoryFeatures.V), hostKey), nil
}

// ParseLine reads a machines line (as --builders takes it) into a target.
func ParseLine(line string) (Target, error) {
	f := strings.Fields(line)
	if len(f) == 0 {
		return Target{}, errors.New("empty machines line")
	}
	get := func(i int) string {
		if i < len(f) && f[i] != "-" {
			return f[i]
		}
		return ""
	}
	t := Target{Line: line, URI: f[0]}
	if !strings.Contains(t.URI, "://") {
		t.URI = "ssh://" + t.URI
	}
	t.Builder = diagnose.HostOf(t.URI)
	if s := get(1); s != "" {
		t.Systems = strings.Split(s, ",")
	}
	t.SSHKey, t.HostKey = get(2), get(7)
	if s := get(6); s != "" {
		t.Mandatory = strings.Split(s, ",")
	}
	if s := get(5); s != "" {
		for _, x := range strings.Split(s, ",") {
			if !contains(t.Mandatory, x) {
				t.Supported = append(t.Supported, x)
			}
		}
	}
	return t, nil
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// storeURI is the URI nix store ping needs: the machine's key and host key
// as store parameters, as Nix itself adds them for builds.
func (t Target) storeURI() string {
	var params []string
	if t.SSHKey != "" {
		params = append(params, "ssh-key="+t.SSHKey)
	}
	if t.HostKey != "" {
		params = append(params, "base64-ssh-public-host-key="+t.HostKey)
	}
	if len(params) == 0 {
		return t.URI
	}
	sep := "?"
	if strings.Contains(t.URI, "?") {
		sep = "&"
	}
	return t.URI + sep + strings.Join(params, "&")
}

// Options tune a run.
type Options struct {
	Nix     string        // the nix binary directory ("" = from PATH)
	Timeout time.Duration // per command
	// ConnectTimeout is ssh's ConnectTimeout for the connection check
	// (0 = DefaultConnectTimeout; not set when Timeout is shorter): a host that accepts
	// the connection and never speaks fails after it, with ssh's own
	// words, instead of holding the run for the whole Timeout.
	ConnectTimeout time.Duration
	Progress       func(builder, status string)
}

// DefaultConnectTimeout is how long the connection check waits for a
// builder's ssh to answer.
const DefaultConnectTimeout = 15 * time.Second

// sshEnv is the environment of the nix commands (nil: the caller's): the caller's, with
// ConnectTimeout added to NIX_SSHOPTS (after the caller's own options, which
// ssh lets win: the first value of an option is the one it uses).
func (o Options) sshEnv() []string {
	ct := o.ConnectTimeout
	if ct <= 0 {
		ct = DefaultConnectTimeout
	}
	if ct >= o.Timeout {
		return nil // the whole --timeout comes first: nothing to add
	}
	secs := int((ct + time.Second - 1) / time.Second)
	opts := strings.TrimSpace(os.Getenv("NIX_SSHOPTS") + " -o ConnectTimeout=" + strconv.Itoa(secs))
	env := []string{}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "NIX_SSHOPTS=") {
			env = append(env, kv)
		}
	}
	return append(env, "NIX_SSHOPTS="+opts)
}

func (o Options) bin(name string) string {
	if o.Nix != "" {
		return filepath.Join(o.Nix, name)
	}
	return name
}

// ErrNoNix means verify cannot run at all.
var ErrNoNix = errors.New("nix is not installed (nix-build and nix must be on PATH)")

// Run verifies every target, the builders in parallel.
func Run(ctx context.Context, targets []Target, opts Options) ([]Result, error) {
	if _, err := exec.LookPath(opts.bin("nix-build")); err != nil {
		return nil, ErrNoNix
	}
	if opts.Timeout == 0 {
		opts.Timeout = 60 * time.Second
	}
	dir, err := os.MkdirTemp("", "nixbuild-lint-verify-")
	if err != nil {
		return nil, err
	}
	defer func() { _ = os.RemoveAll(dir) }()
	results := make([][]Result, len(targets))
	var wg sync.WaitGroup
	for i, t := range targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = verifyTarget(ctx, t, dir, opts)
		}()
	}
	wg.Wait()
	var out []Result
	for _, rs := range results {
		out = append(out, rs...)
	}
	return out, nil
}

func (o Options) progress(builder, status string) {
	if o.Progress != nil {
		o.Progress(builder, status)
	}
}

func verifyTarget(ctx context.Context, t Target, dir string, opts Options) []Result {
	base := Result{Client: t.Client, Builder: t.Builder}
	opts.progress(t.Builder, "connecting")
	start := time.Now()
	_, stderr, err := runCmd(ctx, opts.Timeout, opts.sshEnv(), opts.bin("nix"), "--extra-experimental-features", "nix-command", "store", "ping", "--store", t.storeURI())
	if err != nil {
		ds := diagnose.Explain(stderr)
		cause := firstLine(stderr)
		rule := ""
		if len(ds) > 0 {
			cause, rule = ds[0].Cause, ds[0].Rule
		}
		if errors.Is(err, errTimedOut) && len(ds) == 0 {
			// Nix says only which store it was opening; say what happened.
			cause = fmt.Sprintf("no answer from %s within %v (--timeout): the host is down, or a firewall drops the connection", t.Builder, opts.Timeout)
		}
		var out []Result
		for _, s := range t.Systems {
			r := base
			r.System, r.Features, r.Status, r.Cause, r.Rule, r.Diagnoses = s, []string{}, "failed", "cannot connect: "+cause, rule, ds
			r.Duration = time.Since(start)
			out = append(out, r)
		}
		opts.progress(t.Builder, "cannot connect")
		return out
	}
	var out []Result
	for _, s := range t.Systems {
		featureSets := [][]string{t.Mandatory}
		if len(t.Supported) > 0 {
			featureSets = append(featureSets, append(append([]string{}, t.Mandatory...), t.Supported...))
		}
		for _, fs := range featureSets {
			opts.progress(t.Builder, "building for "+s)
			out = append(out, buildProbe(ctx, t, s, fs, dir, opts))
		}
	}
	opts.progress(t.Builder, "done")
	return out
}

func buildProbe(ctx context.Context, t Target, system string, features []string, dir string, opts Options) (r Result) {
	r = Result{Client: t.Client, Builder: t.Builder, System: system, Features: append([]string{}, features...)}
	sort.Strings(r.Features)
	start := time.Now()
	defer func() { r.Duration = time.Since(start) }()
	arch, err := probe.For(system)
	if err != nil {
		r.Status, r.Cause = "skipped", err.Error()
		return r
	}
	nonce := make([]byte, 8)
	_, _ = rand.Read(nonce)
	bin := filepath.Join(dir, "probe-"+system)
	if _, err := os.Stat(bin); err != nil {
		if err := os.WriteFile(bin, arch.ELF(), 0o755); err != nil {
			r.Status, r.Cause = "failed", err.Error()
			return r
		}
	}
	var req []string
	for _, f := range features {
		req = append(req, fmt.Sprintf("%q", f))
	}
	expr := fmt.Sprintf(`derivation {
  name = "nixbuild-lint-probe-%s";
  system = %q;
  builder = builtins.path { path = %s; name = "nixbuild-lint-probe-%s"; };
  args = [ (builtins.placeholder "out") ];
  nonce = %q;
  requiredSystemFeatures = [ %s ];
}
`, system, system, bin, system, hex.EncodeToString(nonce)+"-"+time.Now().UTC().Format("20060102T150405"), strings.Join(req, " "))
	file := filepath.Join(dir, fmt.Sprintf("probe-%s-%s.nix", system, hex.EncodeToString(nonce)))
	if err := os.WriteFile(file, []byte(expr), 0o644); err != nil {
		r.Status, r.Cause = "failed", err.Error()
		return r
	}
	stdout, stderr, err := runCmd(ctx, opts.Timeout, opts.sshEnv(), opts.bin("nix-build"), file, "--no-out-link", "--max-jobs", "0",
		"--builders", t.Line, "--option", "substituters", "", "--option", "builders-use-substitutes", "false")
	r.BuiltOn = diagnose.BuiltOn(stderr)
	if err != nil {
		r.Status = "failed"
		r.Diagnoses = diagnose.Explain(stderr)
		if len(r.Diagnoses) > 0 {
			r.Cause, r.Rule = r.Diagnoses[0].Cause, r.Diagnoses[0].Rule
		} else {
			r.Cause = firstLine(stderr)
		}
		return r
	}
	outPath := strings.TrimSpace(lastLine(stdout))
	data, err := os.ReadFile(outPath)
	if err != nil {
		r.Status, r.Cause = "failed", "the probe's output cannot be read: "+err.Error()
		return r
	}
	machine, ok := arch.Check(data)
	r.Machine = machine
	switch {
	case !ok:
		r.Status, r.Cause = "failed", fmt.Sprintf("the probe ran as %q, not %s", machine, system)
	case r.BuiltOn == "":
		r.Status, r.Cause = "failed", "the probe was built, but not on this machine"
	default:
		r.Status = "ok"
	}
	return r
}

// errTimedOut: a command ran past --timeout.
var errTimedOut = errors.New("timed out")

func runCmd(ctx context.Context, timeout time.Duration, env []string, name string, args ...string) (string, string, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.WaitDelay = 2 * time.Second
	err := cmd.Run()
	if ctx.Err() == context.DeadlineExceeded {
		err = fmt.Errorf("%w after %v", errTimedOut, timeout)
		stderr.WriteString("\ntimed out after " + timeout.String())
	}
	return stdout.String(), stderr.String(), err
}

func firstLine(s string) string {
	for _, l := range strings.Split(diagnose.Clean(s), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			return l
		}
	}
	return "(no output)"
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}
