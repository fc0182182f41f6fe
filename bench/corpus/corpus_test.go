package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nixbuild-lint/nixbuild-lint/nixeval"
)

// buildTool builds the real nixbuild-lint binary, as -bin would be given it.
func buildTool(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "nixbuild-lint")
	cmd := exec.Command("go", "build", "-o", bin, "github.com/nixbuild-lint/nixbuild-lint/cmd/nixbuild-lint")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// fleetDir makes a corpus folder: one folder a repository (owner+repo),
// each a copy of a fleet of testdata/configs ("" for an empty folder, a
// repository without flake.nix; text starting with "{" for a folder with
// that flake.nix).
func fleetDir(t *testing.T, repos map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, config := range repos {
		dst := filepath.Join(dir, name)
		if config == "" || strings.HasPrefix(config, "{") {
			if err := os.MkdirAll(dst, 0o755); err != nil {
				t.Fatal(err)
			}
			if config != "" {
				if err := os.WriteFile(filepath.Join(dst, "flake.nix"), []byte(config), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			continue
		}
		if err := os.CopyFS(dst, os.DirFS(filepath.Join("..", "..", "testdata", "configs", config))); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// readJSON reads a file of -out with its times zeroed (they vary).
func readJSON(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if _, ok := m["seconds"].(float64); !ok {
		t.Errorf("%s: no seconds: %s", path, data)
	}
	m["seconds"] = 0
	out, _ := json.MarshalIndent(m, "", "  ")
	return string(out)
}

func measureInto(t *testing.T, bin, corpus string, emptyStore bool) string {
	t.Helper()
	res, err := run(runConfig{bin: bin, dir: corpus, timeout: time.Minute, emptyStore: emptyStore,
		options: map[string][]string{"alice/one": {"NOTHING_READS_THIS=1"}}})
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "results")
	if err := writeResults(out, res); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestRunAndCompare runs the built tool on two small corpora and checks
// what -out writes and what -compare prints: a repository whose finding
// went, one with new errors (and an info, counted but not compared), one
// not read (no flake.nix) that became half read (its other host broken in
// the repository: hostsBroken), and a new one without hosts (a flake of
// modules: reposWithoutHosts).
func TestRunAndCompare(t *testing.T) {
	bin := buildTool(t)
	oldCorpus := fleetDir(t, map[string]string{"alice+one": "duplicate-builder", "bob+two": "clean", "carol+three": ""})
	oldRes := measureInto(t, bin, oldCorpus, true)
	newRes := measureInto(t, bin, fleetDir(t, map[string]string{
		"alice+one": "clean", "bob+two": "builder-is-self", "carol+three": "host-unreadable",
		"dave+four": "{ outputs = { self }: { nixosModules.default = { }; }; }\n"}), true)

	files, _ := filepath.Glob(filepath.Join(oldRes, "*"))
	if len(files) != 4 {
		t.Errorf("files of -out: %q", files)
	}
	if got, want := readJSON(t, filepath.Join(oldRes, "alice+one.json")), `{
  "canChangeFindings": [],
  "cannotChangeFindings": [],
  "errors": 0,
  "exit": 0,
  "findings": [
    {
      "file": "pi.nix",
      "host": "pi",
      "line": 8,
      "message": "build machine \"ritchie.lan\" offers x86_64-linux to the same builder as \"ritchie\": its job slots count twice",
      "rule": "duplicate-builder",
      "severity": "warning"
    }
  ],
  "hostsBroken": 0,
  "hostsDeclared": 2,
  "hostsNotRead": [],
  "hostsRead": 2,
  "infos": 0,
  "modulesNotRead": 0,
  "modulesNotReadCanChange": 0,
  "modulesNotReadCannot": 0,
  "options": "NOTHING_READS_THIS=1",
  "repo": "alice/one",
  "seconds": 0,
  "warnings": 1
}`; got != want {
		t.Errorf("alice+one.json:\n%s\nwant:\n%s", got, want)
	}
	if got, want := readJSON(t, filepath.Join(oldRes, "carol+three.json")), `{
  "canChangeFindings": [],
  "cannotChangeFindings": [],
  "errors": 0,
  "exit": 2,
  "findings": [],
  "hostsBroken": 0,
  "hostsDeclared": 0,
  "hostsNotRead": [],
  "hostsRead": 0,
  "infos": 0,
  "modulesNotRead": 0,
  "modulesNotReadCanChange": 0,
  "modulesNotReadCannot": 0,
  "repo": "carol/three",
  "seconds": 0,
  "stderr": [
    "nixbuild-lint: CORPUS/carol+three: no flake.nix here; give the hosts with --host NAME=PATH"
  ],
  "warnings": 0
}`; strings.ReplaceAll(got, oldCorpus, "CORPUS") != want {
		t.Errorf("carol+three.json:\n%s\nwant:\n%s", got, want)
	}
	if got, want := readJSON(t, filepath.Join(newRes, "carol+three.json")), `{
  "canChangeFindings": [],
  "cannotChangeFindings": [],
  "errors": 1,
  "exit": 0,
  "findings": [
    {
      "file": "hosts/ritchie.nix",
      "host": "ritchie",
      "line": 3,
      "message": "host ritchie cannot be read: hosts/hardware-configuraton.nix: no such file; nothing is checked on it",
      "rule": "host-unreadable",
      "severity": "error"
    }
  ],
  "hostsBroken": 1,
  "hostsDeclared": 2,
  "hostsNotRead": [
    {
      "at": "hosts/ritchie.nix:3",
      "broken": true,
      "host": "ritchie",
      "why": "hosts/hardware-configuraton.nix: no such file"
    }
  ],
  "hostsRead": 1,
  "infos": 0,
  "modulesNotRead": 0,
  "modulesNotReadCanChange": 0,
  "modulesNotReadCannot": 0,
  "repo": "carol/three",
  "seconds": 0,
  "warnings": 0
}`; got != want {
		t.Errorf("new carol+three.json:\n%s\nwant:\n%s", got, want)
	}
	if got, want := readJSON(t, filepath.Join(newRes, "totals.json")), `{
  "emptyStore": true,
  "errors": 3,
  "hostsBroken": 1,
  "hostsDeclared": 6,
  "hostsNotRead": 1,
  "hostsRead": 5,
  "infos": 1,
  "modulesNotRead": 1,
  "modulesNotReadCanChange": 0,
  "modulesNotReadCannot": 1,
  "repos": 4,
  "reposRead": 3,
  "reposWithoutHosts": 1,
  "seconds": 0,
  "warnings": 0
}`; got != want {
		t.Errorf("totals.json:\n%s\nwant:\n%s", got, want)
	}

	var b bytes.Buffer
	if err := compareDirs(&b, oldRes, newRes); err != nil {
		t.Fatal(err)
	}
	if got, want := b.String(), `old: 2 of 3 repositories read (0 without hosts), 4 of 4 hosts read (0 not read: 0 broken in the repository, 0 the reader's), 1 modules not read (0 can change findings, 1 cannot), 0 errors, 1 warnings, 0 infos
new: 3 of 4 repositories read (1 without hosts), 5 of 6 hosts read (1 not read: 1 broken in the repository, 0 the reader's), 1 modules not read (0 can change findings, 1 cannot), 3 errors, 0 warnings, 1 infos
~ carol/three: exit 2 -> 0, hosts read 0 of 0 -> 1 of 2, modules not read that can change findings 0 -> 0
~ dave/four: only in new (exit 2, 0 of 0 hosts read)
- warning alice/one duplicate-builder pi pi.nix:8: build machine "ritchie.lan" offers x86_64-linux to the same builder as "ritchie": its job slots count twice
+ error bob/two builder-is-self alpha remote-builders.nix:7: build machine "alpha" is host alpha itself
+ error bob/two builder-is-self beta remote-builders.nix:7: build machine "beta" is host beta itself
+ error carol/three host-unreadable ritchie hosts/ritchie.nix:3: host ritchie cannot be read: hosts/hardware-configuraton.nix: no such file; nothing is checked on it
`; got != want {
		t.Errorf("-compare:\n%s\nwant:\n%s", got, want)
	}
}

// TestEmptyStore: a fleet whose flake input's source is in the store (a
// folder at the store path its narHash names) has that input's module read;
// with -empty-store the same run reads nothing of that store.
func TestEmptyStore(t *testing.T) {
	bin := buildTool(t)
	store := filepath.Join(t.TempDir(), "store")
	t.Setenv("NIX_STORE_DIR", store)
	sum := sha256.Sum256([]byte("helper"))
	narHash := "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
	src, err := nixeval.SourceStorePath(narHash)
	if err != nil {
		t.Fatal(err)
	}
	write := func(path, text string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(src, "flake.nix"), `{ outputs = _: { nixosModules.trust = { nix.settings.trusted-users = [ "nixremote" ]; }; }; }`)
	corpus := t.TempDir()
	write(filepath.Join(corpus, "dave+four", "flake.nix"), `{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
  inputs.helper.url = "github:example/helper";
  outputs = { nixpkgs, helper, ... }: {
    nixosConfigurations.hub = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [ helper.nixosModules.trust ];
    };
  };
}`)
	write(filepath.Join(corpus, "dave+four", "flake.lock"), `{
  "nodes": {
    "helper": {
      "locked": { "narHash": "`+narHash+`", "owner": "example", "repo": "helper", "rev": "0000000000000000000000000000000000000001", "type": "github" },
      "original": { "owner": "example", "repo": "helper", "type": "github" }
    },
    "nixpkgs": {
      "locked": { "narHash": "sha256-K5DJ2LpPqht7K76bsxetI+YHhGGRyVteTPRQaIIKJpw=", "owner": "NixOS", "repo": "nixpkgs", "rev": "d0797a04b81caeae77bcff10a9dde78bc17f5661", "type": "github" },
      "original": { "owner": "NixOS", "ref": "nixos-24.11", "repo": "nixpkgs", "type": "github" }
    },
    "root": { "inputs": { "helper": "helper", "nixpkgs": "nixpkgs" } }
  },
  "root": "root",
  "version": 7
}`)
	unread := func(emptyStore bool) string {
		t.Helper()
		var r Result
		data, err := os.ReadFile(filepath.Join(measureInto(t, bin, corpus, emptyStore), "dave+four.json"))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(data, &r); err != nil {
			t.Fatal(err)
		}
		got, _ := json.Marshal([]any{r.HostsRead, r.ModulesNotRead, r.CanChangeBy, r.CannotBy})
		return string(got)
	}
	if got, want := unread(false), `[1,0,[],[]]`; got != want {
		t.Errorf("with the store: %s, want %s", got, want)
	}
	if got, want := unread(true), `[1,1,[{"reason":"module of flake input helper","count":1}],[]]`; got != want {
		t.Errorf("-empty-store: %s, want %s", got, want)
	}
}
