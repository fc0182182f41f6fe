// Command corpus measures the static reader on real fleets: every folder of
// DIR (as bench/corpus/extract.sh leaves them, one a repository) is checked
// with the binary, as a user would run it, and one line a repository says
// what was read: the exit code, the hosts found and read, the modules that
// were not read grouped by reason, the findings by severity and the time.
//
//	bash bench/corpus/extract.sh && go run ./bench/corpus .corpus
//	go run ./bench/corpus -bin BIN -empty-store -out RESULTS DIR
//	go run ./bench/corpus -compare OLD-RESULTS NEW-RESULTS
//
// -bin runs that binary instead of building ./cmd/nixbuild-lint; -out
// writes one JSON file a repository and totals.json; -empty-store runs with
// an empty store (NIX_STORE_DIR) and cache (XDG_CACHE_HOME), so nothing of
// /nix/store is read; -compare prints the totals of two -out directories and
// every error or warning that is new or gone. With -markdown the table is
// printed as Markdown for the README.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

func main() {
	markdown := flag.Bool("markdown", false, "print a Markdown table")
	timeout := flag.Duration("timeout", 2*time.Minute, "time allowed per repository")
	binFlag := flag.String("bin", "", "run this nixbuild-lint binary instead of building ./cmd/nixbuild-lint")
	outDir := flag.String("out", "", "write one JSON file a repository and totals.json into this directory")
	emptyStore := flag.Bool("empty-store", false, "run with an empty Nix store and cache, so nothing of /nix/store is read")
	compare := flag.Bool("compare", false, "compare two -out directories: -compare OLD NEW")
	lists := flag.String("repos", "bench/corpus/repos.txt,bench/corpus/tune.txt,bench/corpus/holdout.txt",
		"comma-separated lists giving repositories' options ('owner/repo commit [options]')")
	flag.Parse()
	if *compare {
		if flag.NArg() != 2 {
			fmt.Fprintln(os.Stderr, "usage: go run ./bench/corpus -compare OLD NEW")
			os.Exit(2)
		}
		if err := compareDirs(os.Stdout, flag.Arg(0), flag.Arg(1)); err != nil {
			fmt.Fprintln(os.Stderr, "corpus:", err)
			os.Exit(2)
		}
		return
	}
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: go run ./bench/corpus [-markdown] [-bin BIN] [-out DIR] [-empty-store] CORPUS")
		os.Exit(2)
	}
	opts := map[string][]string{}
	for _, l := range strings.Split(*lists, ",") {
		for k, v := range repoOptions(l) {
			opts[k] = v
		}
	}
	cfg := runConfig{bin: *binFlag, dir: flag.Arg(0), options: opts, timeout: *timeout,
		emptyStore: *emptyStore, progress: os.Stderr}
	if err := measureAll(cfg, *outDir, *markdown); err != nil {
		fmt.Fprintln(os.Stderr, "corpus:", err)
		os.Exit(2)
	}
}

// measureAll runs cfg (building the binary when it names none), writes
// the results into outDir when it is given and prints the table.
func measureAll(cfg runConfig, outDir string, markdown bool) error {
	if cfg.bin == "" {
		b, err := build()
		if err != nil {
			return err
		}
		defer func() { _ = os.RemoveAll(filepath.Dir(b)) }()
		cfg.bin = b
	}
	res, err := run(cfg)
	if err != nil {
		return err
	}
	if outDir != "" {
		if err := writeResults(outDir, res); err != nil {
			return err
		}
	}
	print(res, markdown)
	return nil
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
		_ = os.RemoveAll(tmp)
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
