// Command corpus measures the static reader on real fleets: every folder of
// DIR (as bench/corpus/extract.sh leaves them, one a repository) is checked
// with the built binary, as a user would run it, and one line a repository
// says what was read: the exit code, the hosts found, the modules that were
// not read grouped by reason, the findings by severity and the time.
//
//	bash bench/corpus/extract.sh && go run ./bench/corpus .corpus
//
// With -markdown the table is printed as Markdown for the README.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/nixbuild-lint/nixbuild-lint/report"
)

type hostsDoc struct {
	Hosts []struct {
		Name   string   `json:"name"`
		Unread []string `json:"unreadModules"`
	} `json:"hosts"`
}

type findingsDoc struct {
	Findings []struct {
		Rule     string `json:"rule"`
		Severity string `json:"severity"`
	} `json:"findings"`
}

type row struct {
	repo     string
	how      string // the repository's options from repos.txt, when it has some
	exit     int
	hosts    int
	unread   map[string]int
	errs     int
	warnings int
	took     time.Duration
	stderr   string
}

func main() {
	markdown := flag.Bool("markdown", false, "print a Markdown table")
	timeout := flag.Duration("timeout", 2*time.Minute, "time allowed per repository")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: go run ./bench/corpus [-markdown] DIR")
		os.Exit(2)
	}
	dir := flag.Arg(0)
	bin, err := build()
	if err != nil {
		fmt.Fprintln(os.Stderr, "corpus:", err)
		os.Exit(2)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		_ = os.RemoveAll(filepath.Dir(bin))
		fmt.Fprintln(os.Stderr, "corpus:", err)
		os.Exit(2)
	}
	defer func() { _ = os.RemoveAll(filepath.Dir(bin)) }()
	opts := repoOptions("bench/corpus/repos.txt")
	var rows []row
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		rows = append(rows, measure(bin, filepath.Join(dir, e.Name()), opts[strings.Replace(e.Name(), "+", "/", 1)], *timeout))
		fmt.Fprintf(os.Stderr, "\r%d repositories", len(rows))
	}
	fmt.Fprintln(os.Stderr)
	print(rows, *markdown)
}

func build() (string, error) {
	tmp, err := os.MkdirTemp("", "nbl-corpus")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(tmp, "nixbuild-lint")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/nixbuild-lint")
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go build: %w", err)
	}
	return bin, nil
}

// repoOptions reads the options some repositories of the list need, after
// their commit: flags of the tool (--impure) and VAR=value settings of the
// environment (a flake that picks its host with builtins.getEnv).
func repoOptions(list string) map[string][]string {
	out := map[string][]string{}
	data, err := os.ReadFile(list)
	if err != nil {
		return out
	}
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) > 2 && !strings.HasPrefix(f[0], "#") {
			out[f[0]] = f[2:]
		}
	}
	return out
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

func measure(bin, repo string, options []string, timeout time.Duration) row {
	r := row{repo: strings.Replace(filepath.Base(repo), "+", "/", 1), unread: map[string]int{}, how: strings.Join(options, " ")}
	var env, flags []string
	for _, o := range options {
		if strings.HasPrefix(o, "-") {
			flags = append(flags, o)
		} else {
			env = append(env, o)
		}
	}
	out, stderr, code, took := runBin(bin, timeout, env, append(append([]string{"hosts", "--format", "json", "--eval", "static"}, flags...), repo)...)
	r.exit, r.took, r.stderr = code, took, firstLine(stderr)
	var hd hostsDoc
	if json.Unmarshal(out, &hd) == nil {
		r.hosts = len(hd.Hosts)
		for _, h := range hd.Hosts {
			for _, u := range h.Unread {
				r.unread[report.UnreadReason(u)]++
			}
		}
	}
	if code == 2 && r.hosts == 0 {
		return r
	}
	out, _, code, _ = runBin(bin, timeout, env, append(append([]string{"--format", "json", "--eval", "static", "--fail-level", "info"}, flags...), repo)...)
	var fd findingsDoc
	if json.Unmarshal(out, &fd) == nil {
		for _, f := range fd.Findings {
			switch f.Severity {
			case "error":
				r.errs++
			case "warning":
				r.warnings++
			}
		}
	}
	if code == 2 {
		r.exit = 2
	}
	return r
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimPrefix(s, "nixbuild-lint: ")
	if len(s) > 110 {
		s = s[:110] + "…"
	}
	return s
}

func print(rows []row, markdown bool) {
	sort.Slice(rows, func(i, j int) bool { return strings.ToLower(rows[i].repo) < strings.ToLower(rows[j].repo) })
	read, hosts, unreadHosts, errs, unread := 0, 0, 0, 0, 0
	var total time.Duration
	if markdown {
		fmt.Println("| repository | exit | hosts | modules not read | errors | warnings | time | note |")
		fmt.Println("|---|---|---|---|---|---|---|---|")
	}
	for _, r := range rows {
		n := 0
		for _, c := range r.unread {
			n += c
		}
		if r.exit != 2 && r.hosts > 0 {
			read++
		}
		if n > 0 {
			unreadHosts++
		}
		hosts += r.hosts
		errs += r.errs
		unread += n
		total += r.took
		note := r.stderr
		if note == "" {
			note = topReasons(r.unread)
		}
		if r.how != "" {
			note = "(read with " + r.how + ") " + note
		}
		if markdown {
			fmt.Printf("| %s | %d | %d | %d | %d | %d | %.2fs | %s |\n", r.repo, r.exit, r.hosts, n, r.errs, r.warnings, r.took.Seconds(), strings.ReplaceAll(note, "|", "\\|"))
		} else {
			fmt.Printf("%-32s exit=%d hosts=%-3d unread=%-4d errors=%-3d warnings=%-3d %6.2fs  %s\n", r.repo, r.exit, r.hosts, n, r.errs, r.warnings, r.took.Seconds(), note)
		}
	}
	fmt.Printf("\n%d of %d repositories read (%.0f %%), %d hosts, %d modules not read (in %d repositories), %d errors, %.1fs in all\n",
		read, len(rows), 100*float64(read)/float64(max(len(rows), 1)), hosts, unread, unreadHosts, errs, total.Seconds())
}

func topReasons(m map[string]int) string {
	type kv struct {
		k string
		v int
	}
	var kvs []kv
	for k, v := range m {
		kvs = append(kvs, kv{k, v})
	}
	sort.Slice(kvs, func(i, j int) bool {
		if kvs[i].v != kvs[j].v {
			return kvs[i].v > kvs[j].v
		}
		return kvs[i].k < kvs[j].k
	})
	var parts []string
	for i, e := range kvs {
		if i == 3 {
			parts = append(parts, "…")
			break
		}
		parts = append(parts, fmt.Sprintf("%d× %s", e.v, e.k))
	}
	return strings.Join(parts, "; ")
}
