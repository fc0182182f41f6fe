package rules

import (
	"reflect"
	"testing"

	"github.com/nixbuild-lint/nixbuild-lint/model"
)

func TestMerge(t *testing.T) {
	at := model.Loc{File: "m.nix", Line: 3, Column: 3}
	other := model.Loc{File: "m.nix", Line: 9, Column: 1}
	fs := []Finding{
		{Rule: "max-jobs-zero-blocks-local", Host: "pi", At: at, Message: "host pi has max-jobs = 0"},
		{Rule: "unsupported-system", Host: "pi", At: other, Message: `build machine "hub" is given aarch64-linux`},
		{Rule: "max-jobs-zero-blocks-local", Host: "pi-2", At: at, Message: "host pi-2 has max-jobs = 0"},
		{Rule: "unsupported-system", Host: "pi-2", At: other, Message: `build machine "hub" is given aarch64-linux`},
		// Two hosts that each list themselves: two problems.
		{Rule: "builder-is-self", Host: "a", At: other, Message: `build machine "a" is host a itself`},
		{Rule: "builder-is-self", Host: "b", At: other, Message: `build machine "b" is host b itself`},
		{Rule: "cross-compile-alternative", Host: "pi", At: other, Message: "instead of emulating on hub, pi could be cross-compiled"},
		{Rule: "cross-compile-alternative", Host: "pi-2", At: other, Message: "instead of emulating on hub, pi-2 could be cross-compiled"},
		{Rule: "max-jobs-zero-blocks-local", Host: "pipe", At: other, Message: "host pipe has max-jobs = 0"},
	}
	merged, members := Merge(fs)
	var got []string
	for _, f := range merged {
		got = append(got, f.Message)
	}
	want := []string{
		"each of hosts pi and pi-2 has max-jobs = 0",
		`build machine "hub" (clients pi and pi-2) is given aarch64-linux`,
		`build machine "a" is host a itself`,
		`build machine "b" is host b itself`,
		"instead of emulating on hub, pi and pi-2 could be cross-compiled",
		"host pipe has max-jobs = 0",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("messages\n got %q\nwant %q", got, want)
	}
	// Each host names its own unread modules: still one problem.
	u, _ := Merge([]Finding{
		{Rule: "r", Host: "a", At: at, Message: "host a lacks x — unless a module of host a that was not read defines it (m.nix:1:1: y; see nixbuild-lint hosts)"},
		{Rule: "r", Host: "b", At: at, Message: "host b lacks x — unless a module of host b that was not read defines it (n.nix:2:1: z; see nixbuild-lint hosts)"},
	})
	if len(u) != 1 || u[0].Message != "each of hosts a and b lacks x — unless modules of these hosts that were not read define it (see nixbuild-lint hosts)" {
		t.Errorf("unread notes: %+v", u)
	}
	if !reflect.DeepEqual(members[0], []int{0, 2}) || !reflect.DeepEqual(merged[1].Hosts, []string{"pi", "pi-2"}) || !reflect.DeepEqual(merged[5].Hosts, []string{"pipe"}) {
		t.Errorf("members %v, hosts %v %v", members, merged[1].Hosts, merged[5].Hosts)
	}
}
