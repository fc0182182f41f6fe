// Command bench measures a full static check of generated fleets (10, 100
// and 1,000 hosts) against Nix's own parser on the same bytes, and writes
// the table into docs/performance.md between the bench markers.
//
//	go run ./bench [-runs 5] [-readme docs/performance.md]
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/nixbuild-lint/nixbuild-lint/internal/fleetgen"
)

type measure struct {
	wall   time.Duration
	maxRSS int64 // KiB
}

func run(name string, args ...string) (measure, error) {
	cmd := exec.Command(name, args...)
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = nil, &stderr
	start := time.Now()
	err := cmd.Run()
	m := measure{wall: time.Since(start)}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		m.maxRSS = ru.Maxrss
	}
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) && ee.ExitCode() == 1 && name != "nix-instantiate" {
			return m, nil // findings
		}
		return m, fmt.Errorf("%s: %w: %s", name, err, stderr.String())
	}
	return m, nil
}

func median(ms []measure) measure {
	sort.Slice(ms, func(i, j int) bool { return ms[i].wall < ms[j].wall })
	return ms[len(ms)/2]
}

func main() {
	runs := flag.Int("runs", 5, "runs per measurement (the median is reported)")
	readme := flag.String("readme", "docs/performance.md", "file to write the table into (empty: stdout only)")
	flag.Parse()
	tmp, err := os.MkdirTemp("", "nixbuild-lint-bench-")
	if err != nil {
		panic(err)
	}
	defer func() { _ = os.RemoveAll(tmp) }()
	bin := filepath.Join(tmp, "nixbuild-lint")
	if out, err := exec.Command("go", "build", "-o", bin, "./cmd/nixbuild-lint").CombinedOutput(); err != nil {
		panic(fmt.Sprintf("go build: %v\n%s", err, out))
	}
	nix, nixErr := exec.LookPath("nix-instantiate")
	var rows []string
	var times []time.Duration
	for _, n := range []int{10, 100, 1000} {
		dir := filepath.Join(tmp, fmt.Sprint(n))
		size, err := fleetgen.Write(dir, n)
		if err != nil {
			panic(err)
		}
		var files []string
		_ = filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
			if err == nil && strings.HasSuffix(p, ".nix") {
				files = append(files, p)
			}
			return nil
		})
		var ours, ref []measure
		for i := 0; i < *runs; i++ {
			m, err := run(bin, "--color", "never", "--eval", "static", dir)
			if err != nil {
				panic(err)
			}
			ours = append(ours, m)
			if nixErr == nil {
				m, err := run(nix, append([]string{"--parse"}, files...)...)
				if err != nil {
					panic(err)
				}
				ref = append(ref, m)
			}
		}
		o := median(ours)
		times = append(times, o.wall)
		refCell, ratio := "n/a (no nix-instantiate)", "n/a"
		if len(ref) > 0 {
			r := median(ref)
			refCell = fmt.Sprintf("%.0f ms", ms(r.wall))
			ratio = fmt.Sprintf("%.2f", ms(o.wall)/ms(r.wall))
		}
		rows = append(rows, fmt.Sprintf("| %d | %d | %.2f MB | %.0f ms | %.0f MB | %s | %s |",
			n, len(files), float64(size)/1e6, ms(o.wall), float64(o.maxRSS)/1024, refCell, ratio))
	}
	growth := float64(times[2]) / float64(times[1])
	table := fmt.Sprintf(`Measured by `+"`go run ./bench`"+` on %s, %d cores (%s), median of %d runs; the reference is
`+"`nix-instantiate --parse`"+` (Nix 2.8) of the same files in one process.

| hosts | files | bytes | full static check | peak memory | Nix parse only | ratio |
|---|---|---|---|---|---|---|
%s

1,000 hosts take %.1f× the time of 100 hosts.
`, time.Now().UTC().Format("2006-01-02"), runtime.NumCPU(), runtime.GOARCH, *runs, strings.Join(rows, "\n"), growth)
	fmt.Print(table)
	if *readme == "" {
		return
	}
	data, err := os.ReadFile(*readme)
	if err != nil {
		panic(err)
	}
	const start, end = "<!-- bench:start -->\n", "<!-- bench:end -->"
	s := string(data)
	i, j := strings.Index(s, start), strings.Index(s, end)
	if i < 0 || j < i {
		panic(*readme + " has no bench markers")
	}
	s = s[:i+len(start)] + table + s[j:]
	if err := os.WriteFile(*readme, []byte(s), 0o644); err != nil {
		panic(err)
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
