package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// loadResults reads a directory written by -out.
func loadResults(dir string) (results, error) {
	var res results
	data, err := os.ReadFile(filepath.Join(dir, "totals.json"))
	if err != nil {
		return res, err
	}
	if err := json.Unmarshal(data, &res.totals); err != nil {
		return res, fmt.Errorf("%s: %w", filepath.Join(dir, "totals.json"), err)
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return res, err
	}
	for _, f := range files {
		if filepath.Base(f) == "totals.json" {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			return res, err
		}
		var r Result
		if err := json.Unmarshal(data, &r); err != nil {
			return res, fmt.Errorf("%s: %w", f, err)
		}
		// Written before hostsBroken and reposWithoutHosts were counted
		// (R0): counted again from each repository's hosts not read.
		r.HostsBroken = 0
		for _, h := range r.HostsNotRead {
			if h.Broken {
				r.HostsBroken++
			}
		}
		res.repos = append(res.repos, r)
	}
	res.totals.ReposWithoutHosts, res.totals.HostsBroken = 0, 0
	for _, r := range res.repos {
		if r.withoutHosts() {
			res.totals.ReposWithoutHosts++
		}
		res.totals.HostsBroken += r.HostsBroken
	}
	res.totals.HostsNotRead = res.totals.HostsDeclared - res.totals.HostsRead
	return res, nil
}

// findingKey is what identifies an error or warning across two runs.
type findingKey struct {
	repo, severity, rule, host, file string
	line                             int
}

func (k findingKey) String() string {
	return fmt.Sprintf("%s %s %s %s %s:%d", k.severity, k.repo, k.rule, k.host, k.file, k.line)
}

func keyedFindings(res results) (map[findingKey]int, map[findingKey]string) {
	count, msg := map[findingKey]int{}, map[findingKey]string{}
	for _, r := range res.repos {
		for _, f := range r.Findings {
			if f.Severity != "error" && f.Severity != "warning" {
				continue
			}
			k := findingKey{r.Repo, f.Severity, f.Rule, f.Host, f.File, f.Line}
			count[k]++
			msg[k] = f.Message
		}
	}
	return count, msg
}

// compareDirs prints both totals lines, every repository whose reading
// changed (exit code, hosts read) and every error or warning that is new
// (+) or gone (-), with its message.
func compareDirs(w io.Writer, oldDir, newDir string) error {
	old, err := loadResults(oldDir)
	if err != nil {
		return err
	}
	cur, err := loadResults(newDir)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "old: %s\n", old.totals.line())
	fmt.Fprintf(w, "new: %s\n", cur.totals.line())
	before := map[string]Result{}
	for _, r := range old.repos {
		before[r.Repo] = r
	}
	var changed []string
	for _, r := range cur.repos {
		b, ok := before[r.Repo]
		if !ok {
			changed = append(changed, fmt.Sprintf("~ %s: only in new (exit %d, %d of %d hosts read)", r.Repo, r.Exit, r.HostsRead, r.HostsDeclared))
			continue
		}
		delete(before, r.Repo)
		if b.Exit != r.Exit || b.HostsRead != r.HostsRead || b.HostsDeclared != r.HostsDeclared || b.CanChange != r.CanChange {
			changed = append(changed, fmt.Sprintf("~ %s: exit %d -> %d, hosts read %d of %d -> %d of %d, modules not read that can change findings %d -> %d",
				r.Repo, b.Exit, r.Exit, b.HostsRead, b.HostsDeclared, r.HostsRead, r.HostsDeclared, b.CanChange, r.CanChange))
		}
	}
	for repo, b := range before {
		changed = append(changed, fmt.Sprintf("~ %s: only in old (exit %d, %d of %d hosts read)", repo, b.Exit, b.HostsRead, b.HostsDeclared))
	}
	sort.Strings(changed)
	for _, c := range changed {
		fmt.Fprintln(w, c)
	}
	oc, om := keyedFindings(old)
	nc, nm := keyedFindings(cur)
	var lines []struct{ k, s string }
	for k, n := range nc {
		for i := oc[k]; i < n; i++ {
			lines = append(lines, struct{ k, s string }{k.repo + "\x00" + k.String(), "+ " + k.String() + ": " + oneLine(nm[k])})
		}
	}
	for k, n := range oc {
		for i := nc[k]; i < n; i++ {
			lines = append(lines, struct{ k, s string }{k.repo + "\x00" + k.String(), "- " + k.String() + ": " + oneLine(om[k])})
		}
	}
	sort.Slice(lines, func(i, j int) bool {
		if lines[i].k != lines[j].k {
			return strings.ToLower(lines[i].k) < strings.ToLower(lines[j].k)
		}
		return lines[i].s < lines[j].s
	})
	for _, l := range lines {
		fmt.Fprintln(w, l.s)
	}
	return nil
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}
