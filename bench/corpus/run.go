package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/nixbuild-lint/nixbuild-lint/report"
)

// Result is what one repository gave: the file <owner+repo>.json of -out.
type Result struct {
	Repo    string `json:"repo"`
	Options string `json:"options,omitempty"` // from the list, when it has some
	Exit    int    `json:"exit"`
	// Stderr is what the tool printed on stderr (its first lines) when the
	// repository was not read (exit 2 or no host read).
	Stderr        []string      `json:"stderr,omitempty"`
	HostsDeclared int           `json:"hostsDeclared"`
	HostsRead     int           `json:"hostsRead"`
	HostsNotRead  []HostNotRead `json:"hostsNotRead"`
	// HostsBroken counts the hosts not read because the fleet itself is
	// broken there (a fault Nix stops on too: a missing file, an input the
	// flake does not declare), apart from the reader's own losses.
	HostsBroken int `json:"hostsBroken"`
	// ModulesNotRead counts the modules not read in the hosts read; they
	// are split, by reason, into those that can define an option the rules
	// read (they can change findings) and those that cannot.
	ModulesNotRead int       `json:"modulesNotRead"`
	CanChange      int       `json:"modulesNotReadCanChange"`
	Cannot         int       `json:"modulesNotReadCannot"`
	CanChangeBy    []Reason  `json:"canChangeFindings"`
	CannotBy       []Reason  `json:"cannotChangeFindings"`
	Errors         int       `json:"errors"`
	Warnings       int       `json:"warnings"`
	Infos          int       `json:"infos"`
	Findings       []Finding `json:"findings"`
	Seconds        float64   `json:"seconds"`
}

// HostNotRead is a host the tool found but could not read, and why.
type HostNotRead struct {
	Host   string `json:"host"`
	At     string `json:"at,omitempty"`
	Why    string `json:"why"`
	Broken bool   `json:"broken,omitempty"`
}

// Reason counts modules not read for one cause.
type Reason struct {
	Reason string `json:"reason"`
	Count  int    `json:"count"`
}

// Finding is one finding of the tool.
type Finding struct {
	Rule     string `json:"rule"`
	Severity string `json:"severity"`
	Host     string `json:"host"`
	File     string `json:"file"`
	Line     int    `json:"line"`
	Message  string `json:"message"`
}

// Totals sums a run: totals.json of -out.
type Totals struct {
	EmptyStore bool `json:"emptyStore"`
	Repos      int  `json:"repos"`
	ReposRead  int  `json:"reposRead"`
	// ReposWithoutHosts counts the repositories read without error that
	// declare no host (a flake of modules only): not read, and not the
	// reader's loss.
	ReposWithoutHosts int `json:"reposWithoutHosts"`
	HostsDeclared     int `json:"hostsDeclared"`
	HostsRead         int `json:"hostsRead"`
	// HostsNotRead = HostsDeclared - HostsRead, of which HostsBroken are
	// broken in the repository.
	HostsNotRead   int     `json:"hostsNotRead"`
	HostsBroken    int     `json:"hostsBroken"`
	ModulesNotRead int     `json:"modulesNotRead"`
	CanChange      int     `json:"modulesNotReadCanChange"`
	Cannot         int     `json:"modulesNotReadCannot"`
	Errors         int     `json:"errors"`
	Warnings       int     `json:"warnings"`
	Infos          int     `json:"infos"`
	Seconds        float64 `json:"seconds"`
}

// read reports whether the repository counts as read: the tool did not
// stop (exit 2) and read at least one host.
func (r Result) read() bool { return r.Exit != 2 && r.HostsRead > 0 }

// withoutHosts reports whether the repository has no host to read: the
// tool read its flake and found that its outputs have no
// nixosConfigurations or darwinConfigurations at all (a flake of modules or
// packages). A framework's empty default is not counted: a framework may
// make hosts the reader does not see (nixos-unified's autowiring did).
func (r Result) withoutHosts() bool {
	if r.HostsDeclared > 0 || len(r.Stderr) == 0 {
		return false
	}
	return strings.Contains(r.Stderr[0], "found no hosts: the flake defines no nixosConfigurations or darwinConfigurations")
}

type runConfig struct {
	bin        string
	dir        string
	options    map[string][]string // owner/repo -> options from the lists
	timeout    time.Duration
	emptyStore bool
	progress   io.Writer // nil: quiet
}

type results struct {
	totals Totals
	repos  []Result
}

// run measures every folder of cfg.dir, sorted by name.
func run(cfg runConfig) (results, error) {
	entries, err := os.ReadDir(cfg.dir)
	if err != nil {
		return results{}, err
	}
	var env []string
	if cfg.emptyStore {
		// The tool finds the store at NIX_STORE_DIR, as Nix does
		// (nixeval.StoreDir), and caches in XDG_CACHE_HOME: both empty.
		tmp, err := os.MkdirTemp("", "nbl-corpus-store")
		if err != nil {
			return results{}, err
		}
		defer func() { _ = os.RemoveAll(tmp) }()
		store, cache := filepath.Join(tmp, "nix", "store"), filepath.Join(tmp, "cache")
		if err := os.MkdirAll(store, 0o755); err != nil {
			return results{}, err
		}
		if err := os.MkdirAll(cache, 0o755); err != nil {
			return results{}, err
		}
		env = append(env, "NIX_STORE_DIR="+store, "XDG_CACHE_HOME="+cache)
	}
	res := results{totals: Totals{EmptyStore: cfg.emptyStore}}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		name := strings.Replace(e.Name(), "+", "/", 1)
		r := measure(cfg.bin, filepath.Join(cfg.dir, e.Name()), name, cfg.options[name], env, cfg.timeout)
		res.repos = append(res.repos, r)
		res.totals.add(r)
		if cfg.progress != nil {
			fmt.Fprintf(cfg.progress, "\r%d repositories", len(res.repos))
		}
	}
	if cfg.progress != nil {
		fmt.Fprintln(cfg.progress)
	}
	sort.Slice(res.repos, func(i, j int) bool {
		return strings.ToLower(res.repos[i].Repo) < strings.ToLower(res.repos[j].Repo)
	})
	return res, nil
}

func (t *Totals) add(r Result) {
	t.Repos++
	if r.read() {
		t.ReposRead++
	}
	if r.withoutHosts() {
		t.ReposWithoutHosts++
	}
	t.HostsDeclared += r.HostsDeclared
	t.HostsRead += r.HostsRead
	t.HostsNotRead += r.HostsDeclared - r.HostsRead
	t.HostsBroken += r.HostsBroken
	t.ModulesNotRead += r.ModulesNotRead
	t.CanChange += r.CanChange
	t.Cannot += r.Cannot
	t.Errors += r.Errors
	t.Warnings += r.Warnings
	t.Infos += r.Infos
	t.Seconds += r.Seconds
}

func runBin(bin string, timeout time.Duration, env []string, args ...string) ([]byte, string, int, time.Duration) {
	cmd := exec.Command("timeout", append([]string{fmt.Sprintf("%.0f", timeout.Seconds()), bin}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	err := cmd.Run()
	took := time.Since(start)
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		code = -1
	}
	return out.Bytes(), strings.TrimSpace(errb.String()), code, took
}

type hostsDoc struct {
	Hosts []struct {
		Name    string   `json:"name"`
		Unread  []string `json:"unreadModules"`
		NotRead *struct {
			Loc struct {
				File string `json:"file"`
				Line int    `json:"line"`
			} `json:"loc"`
			Why    string `json:"why"`
			Broken bool   `json:"broken"`
		} `json:"notRead"`
		InputModules []struct {
			How     string   `json:"how"`
			Defines []string `json:"defines"`
			Note    string   `json:"note"`
			Why     string   `json:"why"`
			Where   string   `json:"where"`
		} `json:"inputModules"`
	} `json:"hosts"`
}

type findingsDoc struct {
	Findings []Finding `json:"findings"`
}

// readFromStore is model.ReadFromStore: an input module read like the
// fleet's own files.
const readFromStore = "read from the store"

func measure(bin, dir, repo string, options, env []string, timeout time.Duration) Result {
	r := Result{Repo: repo, Options: strings.Join(options, " "), HostsNotRead: []HostNotRead{},
		CanChangeBy: []Reason{}, CannotBy: []Reason{}, Findings: []Finding{}}
	var flags []string
	for _, o := range options {
		if strings.HasPrefix(o, "-") {
			flags = append(flags, o)
		} else {
			env = append(env, o)
		}
	}
	out, stderr, code, took := runBin(bin, timeout, env, append(append([]string{"hosts", "--format", "json", "--eval", "static"}, flags...), dir)...)
	r.Exit = code
	can, cannot := map[string]int{}, map[string]int{}
	var hd hostsDoc
	if json.Unmarshal(out, &hd) == nil {
		for _, h := range hd.Hosts {
			r.HostsDeclared++
			if h.NotRead != nil {
				at := ""
				if h.NotRead.Loc.File != "" {
					at = fmt.Sprintf("%s:%d", h.NotRead.Loc.File, h.NotRead.Loc.Line)
				}
				r.HostsNotRead = append(r.HostsNotRead, HostNotRead{Host: h.Name, At: at, Why: h.NotRead.Why, Broken: h.NotRead.Broken})
				if h.NotRead.Broken {
					r.HostsBroken++
				}
				continue
			}
			r.HostsRead++
			r.ModulesNotRead += len(h.Unread)
			// As report.CoverageOf splits them: without a word on the
			// input modules, every module not read can change findings.
			if len(h.InputModules) == 0 {
				for _, u := range h.Unread {
					can[report.UnreadReason(u)]++
				}
			}
			for _, m := range h.InputModules {
				if m.How == readFromStore {
					continue
				}
				note := m.Note
				if note == "" {
					note = m.Where + ": " + m.Why
				}
				if len(m.Defines) > 0 {
					can[report.UnreadReason(note)]++
				} else {
					cannot[report.UnreadReason(note)]++
				}
			}
		}
	}
	r.CanChangeBy, r.CanChange = reasons(can)
	r.CannotBy, r.Cannot = reasons(cannot)
	if code != 2 || r.HostsDeclared > 0 {
		out, stderr2, code2, took2 := runBin(bin, timeout, env, append(append([]string{"--format", "json", "--eval", "static", "--fail-level", "info"}, flags...), dir)...)
		took += took2
		var fd findingsDoc
		if json.Unmarshal(out, &fd) == nil && fd.Findings != nil {
			r.Findings = fd.Findings
		}
		for _, f := range r.Findings {
			switch f.Severity {
			case "error":
				r.Errors++
			case "warning":
				r.Warnings++
			case "info":
				r.Infos++
			}
		}
		if code2 == 2 {
			r.Exit = 2
			if stderr == "" {
				stderr = stderr2
			}
		}
	}
	if !r.read() {
		r.Stderr = firstLines(stderr, 5)
	}
	r.Seconds = float64(took.Milliseconds()) / 1000
	return r
}

func reasons(m map[string]int) ([]Reason, int) {
	out := []Reason{}
	n := 0
	for k, v := range m {
		out = append(out, Reason{k, v})
		n += v
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Reason < out[j].Reason
	})
	return out, n
}

func firstLines(s string, n int) []string {
	if s == "" {
		return nil
	}
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = append(lines[:n], fmt.Sprintf("(%d more lines)", len(lines)-n))
	}
	return lines
}

func writeResults(dir string, res results) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	write := func(name string, v any) error {
		data, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, name), append(data, '\n'), 0o644)
	}
	for _, r := range res.repos {
		if err := write(strings.Replace(r.Repo, "/", "+", 1)+".json", r); err != nil {
			return err
		}
	}
	return write("totals.json", res.totals)
}

func (t Totals) line() string {
	return fmt.Sprintf("%d of %d repositories read (%d without hosts), %d of %d hosts read (%d not read: %d broken in the repository, %d the reader's), %d modules not read (%d can change findings, %d cannot), %d errors, %d warnings, %d infos",
		t.ReposRead, t.Repos, t.ReposWithoutHosts, t.HostsRead, t.HostsDeclared, t.HostsDeclared-t.HostsRead, t.HostsBroken, t.HostsDeclared-t.HostsRead-t.HostsBroken, t.ModulesNotRead, t.CanChange, t.Cannot, t.Errors, t.Warnings, t.Infos)
}

func print(res results, markdown bool) {
	if markdown {
		fmt.Println("| repository | exit | hosts | modules not read | errors | warnings | time | note |")
		fmt.Println("|---|---|---|---|---|---|---|---|")
	}
	for _, r := range res.repos {
		note := ""
		if len(r.Stderr) > 0 {
			note = strings.TrimPrefix(r.Stderr[0], "nixbuild-lint: ")
			if len(note) > 110 {
				note = note[:110] + "…"
			}
		} else {
			note = topReasons(append(append([]Reason{}, r.CanChangeBy...), r.CannotBy...))
		}
		if r.Options != "" {
			note = "(read with " + r.Options + ") " + note
		}
		hosts := fmt.Sprintf("%d/%d", r.HostsRead, r.HostsDeclared)
		if markdown {
			fmt.Printf("| %s | %d | %s | %d | %d | %d | %.2fs | %s |\n", r.Repo, r.Exit, hosts, r.ModulesNotRead, r.Errors, r.Warnings, r.Seconds, strings.ReplaceAll(note, "|", "\\|"))
		} else {
			fmt.Printf("%-32s exit=%d hosts=%-7s unread=%-4d can=%-4d errors=%-3d warnings=%-3d %6.2fs  %s\n", r.Repo, r.Exit, hosts, r.ModulesNotRead, r.CanChange, r.Errors, r.Warnings, r.Seconds, note)
		}
	}
	fmt.Printf("\n%s; %.1fs in all\n", res.totals.line(), res.totals.Seconds)
}

func topReasons(rs []Reason) string {
	sum := map[string]int{}
	for _, r := range rs {
		sum[r.Reason] += r.Count
	}
	sorted, _ := reasons(sum)
	var parts []string
	for i, e := range sorted {
		if i == 3 {
			parts = append(parts, "…")
			break
		}
		parts = append(parts, fmt.Sprintf("%d× %s", e.Count, e.Reason))
	}
	return strings.Join(parts, "; ")
}
