package modsys

import (
	"strings"
	"testing"

	"github.com/nixbuild-lint/nixbuild-lint/nixeval/lang"
)

// testHost is a NixOS host of the modules written in text (a Nix list).
func testHost(t *testing.T, modules string) *Host {
	t.Helper()
	text := "{ modules = " + modules + "; }"
	e, err := lang.ParseSource(lang.NewSource("/x/flake.nix", "flake.nix", []byte(text)))
	if err != nil {
		t.Fatal(err)
	}
	ev := lang.NewEvaluator(nil)
	args := lang.ValThunk(ev.Eval(e, ev.Root))
	return NewHost(ev, args, lang.Span{}, "nixos")
}

// TestDefsBelowUndefined: a path below one nothing defines has no
// definitions and no entry of its own one name down (the common case:
// services.nginx.virtualHosts of a host without nginx); further down an
// entry is kept every other name, so the path a name deeper always finds
// its parent's or grandparent's entry (a fleet reading config.x.k.k.k…
// one name deeper at a time was quadratic, then cubic, without them).
func TestDefsBelowUndefined(t *testing.T) {
	h := testHost(t, `[ { services.openssh.enable = true; networking.hostName = "a"; } ]`)
	if d := h.defsAt([]string{"services", "openssh", "enable"}); len(d) != 1 {
		t.Fatalf("services.openssh.enable: %d definitions, want 1", len(d))
	}
	if d, none := h.defsAtFinal([]string{"services", "nginx", "virtualHosts"}); len(d) != 0 || !none {
		t.Fatalf("services.nginx.virtualHosts: %d definitions, none %v", len(d), none)
	}
	if _, ok := h.defs["services\x00nginx"]; !ok {
		t.Error("services.nginx (the first name nothing defines) has no entry")
	}
	if _, ok := h.defs["services\x00nginx\x00virtualHosts"]; ok {
		t.Error("services.nginx.virtualHosts has an entry of its own")
	}
	path := []string{"undefined"}
	for depth := 1; depth <= 1000; depth++ {
		if d, none := h.defsAtFinal(path); len(d) != 0 || !none {
			t.Fatalf("depth %d: %d definitions, none %v", depth, len(d), none)
		}
		near := false
		for _, up := range []int{1, 2} {
			if depth-up >= 1 {
				_, ok := h.defs[pathKey(path[:depth-up])]
				near = near || ok
			}
		}
		if depth > 2 && !near {
			t.Fatalf("depth %d: neither of the two paths above has an entry", depth)
		}
		path = append(path, "k")
	}
	if n := len(h.defs); n > 600 {
		t.Errorf("%d entries for 1,000 paths below an undefined one, want about 500", n)
	}
	if got := h.Leaves(strings.Split("undefined.k.k", ".")); got != nil {
		t.Errorf("leaves of undefined.k.k: %v", got)
	}
}
