package main

import (
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
)

const manPage = "../../docs/nixbuild-lint.1"

// TestManPage: docs/nixbuild-lint.1 is generated from the same command and
// flag definitions as --help (go test ./cmd/nixbuild-lint -run TestManPage
// -update rewrites it), and the real man renders it.
func TestManPage(t *testing.T) {
	want, err := newApp(io.Discard, io.Discard).ToManWithSection(1)
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(manPage, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(manPage)
	if err != nil || string(got) != want {
		t.Fatalf("%s is stale or missing: run go test ./cmd/nixbuild-lint -run TestManPage -update", manPage)
	}
	man, err := exec.LookPath("man")
	if err != nil {
		t.Fatal("man not found (scripts/test.sh installs man-db)")
	}
	cmd := exec.Command(man, "-l", manPage)
	cmd.Env = append(os.Environ(), "MANWIDTH=100", "MANPAGER=cat", "PAGER=cat", "LANG=C.UTF-8")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("man -l: %v", err)
	}
	text := string(out)
	for _, s := range []string{"nixbuild-lint - check the remote-builder setup", "COMMANDS", "completion", "--fail-level"} {
		if !strings.Contains(text, s) {
			t.Errorf("man -l output lacks %q:\n%.600s", s, text)
		}
	}
}
