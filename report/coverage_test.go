package report

import (
	"testing"

	"github.com/nixbuild-lint/nixbuild-lint/model"
)

func TestCoverageLine(t *testing.T) {
	f := &model.Fleet{}
	for _, n := range []string{"a", "b", "c", "d", "e", "f"} {
		f.Hosts = append(f.Hosts, &model.Host{Name: n, NotRead: &model.NotRead{Why: "x"}})
	}
	f.Hosts = append(f.Hosts, &model.Host{Name: "g", Unread: []string{
		"m.nix:1:1: module of flake input disko disko", "n.nix:2:1: module of flake input disko x",
		"o.nix:3:1: module of flake input sops-nix y", "p.nix:1:1: cannot turn a set into a string",
		"modules list: condition unknown"}})
	f.Hosts = append(f.Hosts, &model.Host{Name: "h"})
	c := CoverageOf(f)
	if c.Complete || c.Hosts != 8 || c.HostsRead != 2 || c.Modules != 5 || len(c.Reasons) != 4 {
		t.Fatalf("coverage %+v", c)
	}
	want := "read 2 of 8 hosts (not read: a, b, c, d, 2 more); 5 modules not read (2× module of flake input disko, " +
		"1× cannot turn a set into a string, 1× condition unknown, 1 other reason); findings resting on them are at info; " +
		"list them: nixbuild-lint hosts fleet"
	if got := c.Line("fleet"); got != want {
		t.Errorf("line\n got %s\nwant %s", got, want)
	}
	whole := CoverageOf(&model.Fleet{Hosts: []*model.Host{{Name: "a"}}})
	if !whole.Complete || whole.Line(".") != "" {
		t.Errorf("a fleet read whole must print nothing: %+v %q", whole, whole.Line("."))
	}
}
