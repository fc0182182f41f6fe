package lang

import (
	"os"
	"regexp"
	"testing"
)

// TestEveryBuiltinTested: each builtin of the table has a case of its own
// in TestBuiltinTable (nixeval/builtins_table_test.go), which checks it
// against the real nix-instantiate where Nix 2.8 has it.
func TestEveryBuiltinTested(t *testing.T) {
	data, err := os.ReadFile("../builtins_table_test.go")
	if err != nil {
		t.Fatal(err)
	}
	for name := range builtinTable {
		if !regexp.MustCompile(`(builtins\.|[\s(])` + regexp.QuoteMeta(name) + `([^A-Za-z0-9_']|$)`).Match(data) {
			t.Errorf("builtin %s has no case in TestBuiltinTable", name)
		}
	}
}
