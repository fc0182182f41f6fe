package main

import (
	"fmt"
	"os"
	"testing"
)

// TestMain keeps the tests' evaluation cache apart from the user's.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "nixbuild-lint-test-cache-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	_ = os.Setenv("XDG_CACHE_HOME", dir)
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}
