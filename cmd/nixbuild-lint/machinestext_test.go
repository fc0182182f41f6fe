package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// A host whose builders are a hand-written builders string: the finding
// points at the entry in the string, and no fix edits the string.
func TestMachinesTextBuildersNoFix(t *testing.T) {
	dir := filepath.Join(configs, "machines-text-builders")
	out, _, code := runCLI(dir)
	if code != 1 {
		t.Fatalf("exit %d, want 1:\n%s", code, out)
	}
	if !strings.Contains(out, "hosts/pi.nix:4:3: host pi may not build locally (max-jobs = 0), but no build machine takes aarch64-linux") ||
		!strings.Contains(out, "    hosts/pi.nix:6:28: build machine \"ssh://ritchie\" could take aarch64-linux\n") {
		t.Errorf("no-builder-for-system not placed at the builders string:\n%s", out)
	}
	if !strings.Contains(out, "hosts/pi2.nix:7:30: build machine \"ssh://ritchie\" is given aarch64-linux, but host ritchie is x86_64-linux") {
		t.Errorf("unsupported-system not placed in nix.extraOptions' builders line:\n%s", out)
	}
	if !strings.Contains(out, "; 1 fixable with --fix") {
		t.Errorf("want one fixable finding (ritchie's emulation):\n%s", out)
	}
	// The one edit is ritchie's emulation; neither builders text is edited.
	diff, _, code := runCLI("--diff", dir)
	if code != 1 || !strings.HasPrefix(diff, "--- a/hosts/ritchie.nix\n") || strings.Count(diff, "--- a/") != 1 ||
		!strings.Contains(diff, "+  boot.binfmt.emulatedSystems = [ \"aarch64-linux\" ];") {
		t.Errorf("--diff (exit %d) edits something else than ritchie's emulation:\n%s", code, diff)
	}
}

// Machines the reader cannot know (a file made at build time) are unknown,
// with the reason in hosts, and no rule claims the host has no builder.
func TestMachinesTextUnknown(t *testing.T) {
	dir := filepath.Join(configs, "machines-text-unknown")
	out, _, _ := runCLI(dir)
	if strings.Contains(out, "no-builder-for-system") {
		t.Errorf("a finding rests on machines that cannot be known:\n%s", out)
	}
	hosts, _, code := runCLI("hosts", dir)
	want := "pi\taarch64-linux\thosts/pi.nix\n  build machines unknown: environment.etc.\"nix/machines\".source (hosts/pi.nix:6:3) is a file made when the system is built: its build machines cannot be read\n"
	if code != 0 || !strings.HasPrefix(hosts, want) {
		t.Errorf("hosts (exit %d):\n%s\nwant it to begin with:\n%s", code, hosts, want)
	}
}
