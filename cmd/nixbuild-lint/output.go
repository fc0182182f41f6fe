package main

import (
	"io"
	"os"

	"github.com/mattn/go-isatty"
	"github.com/nixbuild-lint/nixbuild-lint/report"
	"github.com/urfave/cli/v2"
)

// Where what a fleet holds reaches a person's terminal, it goes through
// report.Term, which prints control characters escaped (report/term.go).
// The JSON formats do not: JSON escapes them itself and stays exact.

// humanOut is stdout for an output meant to be read: text, hosts, the
// lines --fix prints.
func humanOut(w io.Writer) *report.Term { return report.NewTerm(w) }

// diffOut is stdout for --diff: escaped on a terminal, where it is read;
// exact bytes when it goes to a file or a pipe, where git apply must find
// the lines as they are in the file.
func diffOut(w io.Writer) io.Writer {
	if f, ok := w.(*os.File); ok && isatty.IsTerminal(f.Fd()) {
		return report.NewTerm(w)
	}
	return w
}

// refuseFixAndDiff: --diff writes nothing and --fix writes, so together they
// would mean two things; neither is guessed.
func refuseFixAndDiff(c *cli.Context) error {
	if c.Bool("fix") && c.Bool("diff") {
		return usageError{"--fix and --diff together: --diff only prints the fixes (writes nothing), --fix writes them (-v also prints the diff); give one"}
	}
	return nil
}
