package main

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/nixbuild-lint/nixbuild-lint/nixeval/screen"
)

// TestModulesIn: the module sets the generator names, in the shapes real
// flakes write them: `nixosModules = import ./modules` (nixos-sbc), with
// arguments and `set // { inherit default; }` (nyx), `self.lib.rakeLeaves
// ./modules` (nix-minecraft), `// import ./modules self` at the top of the
// outputs; each screened from its own file's directory.
func TestModulesIn(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"flake.nix": `{ outputs = { self, ... }: {
  nixosModules = import ./modules;
  lib.x = 1;
} // import ./more self; }`,
		"modules/default.nix":          `{ default = { imports = [ ./sbc ]; }; }`,
		"modules/sbc/default.nix":      `{ lib, ... }: { services.openssh.enable = lib.mkDefault true; }`,
		"more/default.nix":             `self: { darwinModules = import ./darwin { inherit self; }; }`,
		"more/darwin/default.nix":      "fromFlakes: let perFile = { cache = import ./cache.nix; }; all = { imports = [ ]; }; in perFile // { inherit all; }",
		"more/darwin/cache.nix":        `{ ... }: { nix.settings.trusted-users = [ "@admin" ]; }`,
		"leaves/flake.nix":             `{ outputs = { self, ... }: { nixosModules = self.lib.rakeLeaves ./modules; }; }`,
		"leaves/modules/server.nix":    `{ ... }: { users.users.mc.isSystemUser = true; }`,
		"leaves/modules/x/default.nix": `{ ... }: { }`,
	}
	for n, text := range files {
		p := filepath.Join(dir, n)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	load := screen.FileLoader(dir)
	defines := func(flake string) map[string][]string {
		e, err := load(filepath.Join(dir, flake))
		if err != nil {
			t.Fatal(err)
		}
		out := map[string][]string{}
		for name, m := range modulesIn(e, filepath.Dir(filepath.Join(dir, flake)), load) {
			s := screen.New(load)
			s.Module(m.e, m.dir, nil)
			out[name] = screen.Relevant(s.Paths())
		}
		return out
	}
	got := defines("flake.nix")
	var names []string
	for n := range got {
		names = append(names, n)
	}
	sort.Strings(names)
	if !slices.Equal(names, []string{"all", "cache", "default"}) {
		t.Fatalf("modules: %q", names)
	}
	if !slices.Equal(got["default"], []string{"services.openssh.enable"}) || got["all"] == nil || len(got["all"]) != 0 {
		t.Errorf("default, all: %q %q", got["default"], got["all"])
	}
	if !slices.Equal(got["cache"], []string{"nix.settings.trusted-users"}) {
		t.Errorf("cache: %q", got["cache"])
	}
	got = defines("leaves/flake.nix")
	if !slices.Equal(got["server"], []string{"users.users.mc.isSystemUser"}) || got["x"] == nil || len(got["x"]) != 0 {
		t.Errorf("rakeLeaves: %q", got)
	}
}

// TestAbsentMirrorKeepsEntry: an input whose mirror is not on the machine
// keeps the entry of the table shipped before (its revision and what each
// module defines, the names from the list); one with a mirror is read from
// it at the mirror's HEAD; one with neither is left out, and the log says
// which happened to each.
func TestAbsentMirrorKeepsEntry(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	mirror := t.TempDir()
	work := t.TempDir()
	flake := `{ outputs = { self }: { nixosModules.default = { lib, ... }: { services.openssh.enable = lib.mkDefault true; }; }; }`
	if err := os.WriteFile(filepath.Join(work, "flake.nix"), []byte(flake), 0o644); err != nil {
		t.Fatal(err)
	}
	git := func(dir string, args ...string) string {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@t", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@t", "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %q: %v %s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	git(work, "init", "-q")
	git(work, "add", "flake.nix")
	git(work, "commit", "-q", "-m", "x")
	head := git(work, "rev-parse", "HEAD")
	git(work, "clone", "-q", "--bare", work, filepath.Join(mirror, "own+read", "repo"))

	old := &screen.Table{
		Inputs: []screen.TableInput{
			{Repo: "own/absent", Names: []string{"old-name"}, Rev: "1111111111111111111111111111111111111111",
				Modules: map[string][]string{"default": {}, "builder": {"nix.settings.trusted-users"}}},
			{Repo: "own/read", Names: []string{"read"}, Rev: "2222222222222222222222222222222222222222",
				Modules: map[string][]string{"default": {}}},
		},
		NixOS: screen.TableNixOS{Modules: map[string][]string{"profiles/minimal.nix": {}}},
	}
	list := "# comment\nown/absent absent ab expose:nixos\nown/read read\nown/new new\n"
	var log strings.Builder
	got, err := generate(old, strings.NewReader(list), mirror, &log)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Inputs) != 2 {
		t.Fatalf("inputs: %+v\nlog:\n%s", got.Inputs, log.String())
	}
	kept, read := got.Inputs[0], got.Inputs[1]
	if kept.Repo != "own/absent" || kept.Rev != old.Inputs[0].Rev || !slices.Equal(kept.Names, []string{"absent", "ab"}) ||
		len(kept.Modules) != 2 || !slices.Equal(kept.Modules["builder"], []string{"nix.settings.trusted-users"}) || kept.Modules["default"] == nil {
		t.Errorf("kept: %+v", kept)
	}
	if read.Repo != "own/read" || read.Rev != head || !slices.Equal(read.Modules["default"], []string{"services.openssh.enable"}) {
		t.Errorf("read: %+v (HEAD %s)", read, head)
	}
	if _, ok := got.NixOS.Modules["profiles/minimal.nix"]; !ok {
		t.Errorf("NixOS entries not kept: %+v", got.NixOS)
	}
	for _, want := range []string{
		"own/absent: no mirror at " + filepath.Join(mirror, "own+absent", "repo") + " (entry kept as read at 1111111111111111111111111111111111111111)",
		"own/new: no mirror at " + filepath.Join(mirror, "own+new", "repo") + " (left out: not in the table before)",
	} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, log.String())
		}
	}
	if strings.Contains(log.String(), "own/read") {
		t.Errorf("log names the input read: %s", log.String())
	}
}

// TestFlakeModules: flake-parts' flake.modules.<class>.<name>, in the
// shapes NUR and others write it: a class set built by genAttrs over the
// class names, a nested { nixos = { name = …; }; }, a dotted path; classes
// other than nixos and darwin are not modules the table keeps, and a
// nixosSystem call's modules list is not a module set.
func TestFlakeModules(t *testing.T) {
	dir := t.TempDir()
	flake := `{ outputs = { self, nixpkgs, ... }: {
  flake = {
    modules = nixpkgs.lib.genAttrs [ "nixos" "homeManager" "darwin" ] (_: {
      default = { nixpkgs.overlays = [ ]; };
    });
  };
  modules.nixos.builder = { nix.settings.trusted-users = [ "builder" ]; };
  modules = { darwin = { ssh = { services.openssh.enable = true; }; }; homeManager.x = { }; };
  nixosConfigurations.h = nixpkgs.lib.nixosSystem { modules = [ { networking.hostName = "h"; } ]; };
}; }`
	if err := os.WriteFile(filepath.Join(dir, "flake.nix"), []byte(flake), 0o644); err != nil {
		t.Fatal(err)
	}
	load := screen.FileLoader(dir)
	e, err := load(filepath.Join(dir, "flake.nix"))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for name, m := range modulesIn(e, dir, load) {
		s := screen.New(load)
		s.Module(m.e, m.dir, nil)
		got[name] = screen.Relevant(s.Paths())
	}
	want := map[string][]string{"default": {}, "builder": {"nix.settings.trusted-users"}, "ssh": {"services.openssh.enable"}}
	if len(got) != len(want) {
		t.Fatalf("modules: %q", got)
	}
	for n, w := range want {
		if g, ok := got[n]; !ok || !slices.Equal(g, w) {
			t.Errorf("%s: %q, want %q", n, g, w)
		}
	}
}

// TestReexportedModules: a flake whose outputs pass another input's module
// sets through (ragenix: inherit (agenix) nixosModules darwinModules) gets
// that input's modules as read at the revision its flake.lock locks, from
// the input's mirror — not at the mirror's HEAD.
func TestReexportedModules(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	mirror := t.TempDir()
	run := func(dir string, args ...string) string {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@t", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@t", "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %q: %v %s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	commit := func(dir, file, text string) string {
		if err := os.WriteFile(filepath.Join(dir, file), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		run(dir, "add", file)
		run(dir, "commit", "-q", "-m", file)
		return run(dir, "rev-parse", "HEAD")
	}
	up := t.TempDir()
	run(up, "init", "-q")
	locked := commit(up, "flake.nix", `{ outputs = { self }: { nixosModules.age = { nix.settings.trusted-users = [ "age" ]; }; }; }`)
	commit(up, "flake.nix", `{ outputs = { self }: { nixosModules.age = { }; }; }`)
	run(up, "clone", "-q", "--bare", up, filepath.Join(mirror, "up+agenix", "repo"))

	down := t.TempDir()
	run(down, "init", "-q")
	commit(down, "flake.lock", `{"nodes":{"agenix":{"locked":{"owner":"up","repo":"agenix","rev":"`+locked+`","type":"github"}},"root":{"inputs":{"agenix":"agenix"}}},"root":"root","version":7}`)
	commit(down, "flake.nix", `{ outputs = { self, agenix }: builtins.foldl' (a: b: a // b) { } [ { inherit (agenix) nixosModules darwinModules; } ]; }`)
	run(down, "clone", "-q", "--bare", down, filepath.Join(mirror, "down+ragenix", "repo"))

	got, err := generate(&screen.Table{}, strings.NewReader("down/ragenix ragenix\n"), mirror, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Inputs) != 1 || !slices.Equal(got.Inputs[0].Modules["age"], []string{"nix.settings.trusted-users"}) {
		t.Fatalf("ragenix: %+v", got.Inputs)
	}
}
