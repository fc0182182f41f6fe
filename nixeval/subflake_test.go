package nixeval

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestSubflakes: the hosts of a flake's subflakes in the same tree (a
// path: input into the root, or a flake below it taking the root as
// path:../) are the fleet's, a name taken already given with the
// subflake's directory; a path: input out of the root, or through a symlink
// out of it, is never read.
func TestSubflakes(t *testing.T) {
	host := func(name string) string {
		return `{
  inputs.fleet.url = "path:../";
  outputs = { self, fleet }: {
    nixosConfigurations.` + name + ` = fleet.inputs.nixpkgs.lib.nixosSystem {
      system = "aarch64-linux";
      modules = [ { networking.hostName = "` + name + `"; } ];
    };
  };
}
`
	}
	top := writeTree(t, map[string]string{
		"fleet/flake.nix": `{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.05";
  inputs.sub.url = "path:./sub";
  inputs.out.url = "path:../outside";
  inputs.linked.url = "path:./linked";
  outputs = { self, nixpkgs, ... }: {
    nixosConfigurations.desk = nixpkgs.lib.nixosSystem { system = "x86_64-linux"; modules = [ ]; };
  };
}
`,
		"fleet/sub/flake.nix":         host("desk"),
		"fleet/ci/flake.nix":          host("runner"),
		"fleet/deep/ci/flake.nix":     host("lost"), // its path:../ is fleet/deep: no flake there
		"fleet/unrelated/flake.nix":   `{ outputs = { self }: { nixosConfigurations = { }; }; }`,
		"outside/flake.nix":           host("stranger"),
		"outside/inner/sub/flake.nix": host("stranger2"),
	})
	if err := os.Symlink(filepath.Join(top, "outside"), filepath.Join(top, "fleet", "linked")); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(top, "fleet")
	read := func() {
		t.Helper()
		f, err := NewReader(dir).Read(dir, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := hostNames(f), "desk:x86_64-linux runner:aarch64-linux sub#desk:aarch64-linux"; got != want {
			t.Errorf("hosts %s, want %s", got, want)
		}
	}
	read()
	// In a git repository the reader may read the whole repository (a
	// module may import ../common.nix), but a subflake is only a flake of
	// the linted root.
	for _, args := range [][]string{{"init", "-q"}, {"add", "-A"}} {
		cmd := exec.Command("git", args...)
		cmd.Dir = top
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v %s", args, err, out)
		}
	}
	read()
}
