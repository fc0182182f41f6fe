package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/nixbuild-lint/nixbuild-lint/fixer"
	"github.com/nixbuild-lint/nixbuild-lint/model"
	"github.com/nixbuild-lint/nixbuild-lint/report"
	"github.com/nixbuild-lint/nixbuild-lint/rules"
	"github.com/nixbuild-lint/nixbuild-lint/verify"
	"github.com/urfave/cli/v2"
)

// verifyTargets turns the fleet's entries (or --builders) into targets;
// the fleet is nil with --builders.
func verifyTargets(c *cli.Context) ([]verify.Target, *model.Fleet, error) {
	if line := c.String("builders"); line != "" {
		var ts []verify.Target
		for _, l := range strings.FieldsFunc(line, func(r rune) bool { return r == ';' || r == '\n' }) {
			if strings.TrimSpace(l) == "" {
				continue
			}
			t, err := verify.ParseLine(strings.TrimSpace(l))
			if err == nil {
				err = checkBuilderTarget(t)
			}
			if err != nil {
				return nil, nil, usageError{"--builders: " + err.Error()}
			}
			ts = append(ts, t)
		}
		if len(ts) == 0 {
			return nil, nil, usageError{"--builders: no machine to verify"}
		}
		return ts, nil, nil
	}
	fleet, err := readFleet(c)
	if err != nil {
		return nil, nil, err
	}
	want := func(list []string, name string) bool {
		if len(list) == 0 {
			return true
		}
		for _, x := range list {
			if x == name {
				return true
			}
		}
		return false
	}
	ctx := rules.NewContext(fleet)
	var ts []verify.Target
	var skipped []string
	ctx.Entries(func(client *model.Host, m *model.Machine, b *model.Host) {
		builder := rules.BareHost(m.HostName.V)
		if b != nil {
			builder = b.Name
		}
		if !want(c.StringSlice("client"), client.Name) || !want(c.StringSlice("builder"), builder) {
			return
		}
		line, err := verify.Render(m)
		if err != nil {
			skipped = append(skipped, fmt.Sprintf("%s → %s: %v", client.Name, builder, err))
			return
		}
		t, _ := verify.ParseLine(line)
		t.Client, t.Builder = client.Name, builder
		ts = append(ts, t)
	})
	for _, s := range skipped {
		fmt.Fprintf(os.Stderr, "nixbuild-lint: skipped %s\n", report.EscapeTerm(s))
	}
	if len(ts) == 0 {
		return nil, nil, usageError{"no build machine entries to verify"}
	}
	return ts, fleet, nil
}

// deployableRules are the causes a change on the builder fixes.
var deployableRules = map[string]bool{"unsupported-system": true, "unsupported-feature": true, "untrusted-builder-user": true, "builder-ssh-disabled": true,
	"client-key-not-authorized": true}

// fixedInFleet reports, for a failed probe, whether the fleet as read
// already holds the fix: the builder is a host of it and the rule finds
// nothing on that client's entries for it, so the change is written but
// not deployed.
func fixedInFleet(fleet *model.Fleet) func(r verify.Result) bool {
	if fleet == nil {
		return func(verify.Result) bool { return false }
	}
	ctx := rules.NewContext(fleet)
	open := map[string]bool{}
	for _, f := range rules.Check(fleet, rules.Options{}) {
		client := ctx.Host(f.Host)
		if client == nil || f.Entry < 1 || f.Entry > len(client.Machines.Entries) {
			continue
		}
		if b, _ := ctx.Resolve(client, client.Machines.Entries[f.Entry-1]); b != nil {
			open[f.Host+">"+b.Name+">"+f.Rule] = true
		}
	}
	return func(r verify.Result) bool {
		return deployableRules[r.Rule] && ctx.Host(r.Builder) != nil && !open[r.Client+">"+r.Builder+">"+r.Rule]
	}
}

func verifyCmd(c *cli.Context, stdout io.Writer) error {
	if err := checkFlagValues(c); err != nil {
		return err
	}
	targets, fleet, err := verifyTargets(c)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	opts := verify.Options{Timeout: c.Duration("timeout"), ConnectTimeout: c.Duration("connect-timeout")}
	if !c.Bool("quiet") && isatty.IsTerminal(os.Stderr.Fd()) {
		opts.Progress = liveStatus(targets)
	}
	results, err := verify.Run(ctx, targets, opts)
	if opts.Progress != nil {
		fmt.Fprint(os.Stderr, "\r\033[K")
	}
	if errors.Is(err, verify.ErrNoNix) {
		return err
	}
	if err != nil {
		return err
	}
	sort.SliceStable(results, func(i, j int) bool {
		if results[i].Builder != results[j].Builder {
			return results[i].Builder < results[j].Builder
		}
		return results[i].System < results[j].System
	})
	if c.String("format") == "json" {
		if err := report.WriteJSON(stdout, map[string]any{"results": results}); err != nil {
			return err
		}
	} else if err := verifyTable(stdout, results, fixedInFleet(fleet)); err != nil {
		return err
	}
	for _, r := range results {
		if r.Status == "failed" {
			return exitCode(exitFindings)
		}
	}
	return nil
}

// undeployed tells a failed row whose fix the fleet already holds: then the
// command that deploys it follows the fix line.
func verifyTable(w io.Writer, results []verify.Result, undeployed func(verify.Result) bool) error {
	var table strings.Builder
	tw := tabwriter.NewWriter(&table, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "CLIENT\tBUILDER\tSYSTEM\tFEATURES\tRESULT\tTIME\tDETAIL")
	for _, r := range results {
		detail := r.Cause
		if r.Rule != "" {
			detail += " (" + r.Rule + ")"
		}
		if r.Status == "ok" {
			detail = fmt.Sprintf("probe ran as %s on %s", r.Machine, r.BuiltOn)
		}
		client := r.Client
		if client == "" {
			client = "-"
		}
		feats := strings.Join(r.Features, ",")
		if feats == "" {
			feats = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%.2fs\t%s\n", client, r.Builder, r.System, feats, r.Status, r.Duration.Seconds(), detail)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	// Under each failed row, what explain says of Nix's output: the cause
	// and the change that fixes it, on which host (lines without tabs
	// would break the table's columns, so they go in after it is laid out).
	lines := strings.Split(strings.TrimSuffix(table.String(), "\n"), "\n")
	var out strings.Builder
	out.WriteString(lines[0] + "\n")
	for i, r := range results {
		if i+1 < len(lines) {
			out.WriteString(lines[i+1] + "\n")
		}
		if r.Status != "failed" {
			continue
		}
		for _, d := range r.Diagnoses {
			rule := ""
			if d.Rule != "" {
				rule = " (" + d.Rule + ")"
			}
			where := "on " + d.Host
			if d.Host == "client" {
				where = "on the client " + r.Client
			}
			fmt.Fprintf(&out, "    cause: %s%s\n    fix %s: %s\n", d.Cause, rule, where, d.Change)
		}
		if undeployed != nil && undeployed(r) {
			fmt.Fprintf(&out, "    the fleet already has this fix for %s; deploy it: nixos-rebuild switch --flake .#%s --target-host %s --use-remote-sudo\n", r.Builder, r.Builder, r.Builder)
		}
	}
	_, err := io.WriteString(humanOut(w), out.String())
	return err
}

// liveStatus keeps one status line per builder on a terminal.
func liveStatus(targets []verify.Target) func(string, string) {
	var mu sync.Mutex
	state := map[string]string{}
	start := time.Now()
	return func(builder, status string) {
		mu.Lock()
		defer mu.Unlock()
		state[builder] = status
		var parts []string
		for _, t := range targets {
			if s, ok := state[t.Builder]; ok {
				parts = append(parts, t.Builder+": "+s)
			}
		}
		fmt.Fprintf(os.Stderr, "\r\033[Kverify %.1fs  %s", time.Since(start).Seconds(), report.EscapeTerm(strings.Join(parts, " | ")))
	}
}

// verifyAfterFix proves the fixed entries. A builder that still refuses a
// system a fix gave it has the fix in its files but not deployed: say so,
// with the command that deploys it.
func verifyAfterFix(c *cli.Context, stdout io.Writer, res *fixer.Result) error {
	targets, _, err := verifyTargets(c)
	if err != nil {
		return err
	}
	results, err := verify.Run(context.Background(), targets, verify.Options{Timeout: c.Duration("timeout"), ConnectTimeout: c.Duration("connect-timeout")})
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout)
	if err := verifyTable(stdout, results, nil); err != nil {
		return err
	}
	fixedHosts := map[string]bool{}
	for _, a := range res.Applied {
		fixedHosts[a.Host] = true
	}
	failed := false
	noted := map[string]bool{}
	for _, r := range results {
		if r.Status != "failed" {
			continue
		}
		failed = true
		if fixedHosts[r.Builder] && !noted[r.Builder] && deployableRules[r.Rule] {
			noted[r.Builder] = true
			fmt.Fprintf(stdout, "%s: the fix is written but not deployed yet; deploy it with:\n    nixos-rebuild switch --flake .#%s --target-host %s --use-remote-sudo\n", r.Builder, r.Builder, r.Builder)
		}
	}
	if failed {
		return exitCode(exitFindings)
	}
	return nil
}

// checkBuilderTarget refuses a --builders entry that cannot be verified: a
// host name no ssh would take (empty, control characters, spaces), or no
// system (verify probes one build per system).
func checkBuilderTarget(t verify.Target) error {
	ok := t.Builder != ""
	for _, r := range t.Builder {
		if r <= ' ' || r == 0x7f || strings.ContainsRune("\"'`$;&|<>()\\", r) {
			ok = false
		}
	}
	if !ok {
		return fmt.Errorf("%q: not a host name", t.URI)
	}
	if len(t.Systems) == 0 {
		return fmt.Errorf("%q: no system given (the second field, e.g. %q)", t.Line, t.URI+" x86_64-linux")
	}
	return nil
}
