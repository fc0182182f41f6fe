package screen

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestScreen: the paths a module can define, from its source: nested and
// dotted sets, config = …, the bodies of mkIf/mkMerge/mkDefault, imports
// followed, a rename's target, computed names as any name, a value the
// screen cannot follow as everything below its path.
func TestScreen(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"a.nix": `{ config, lib, ... }: let cfg = config.x; in {
  imports = [ ./b.nix (lib.mkRenamedOptionModule [ "old" ] [ "nix" "settings" "trusted-users" ]) (lib.mkRemovedOptionModule [ "gone" ] "") ];
  options.x.enable = lib.mkEnableOption "x";
  config = lib.mkIf cfg.enable (lib.mkMerge [
    { services.openssh = { enable = lib.mkDefault true; ports = [ 22 ]; }; }
    { users.users.${cfg.user}.openssh.authorizedKeys.keys = cfg.keys; }
    { systemd.services.x = { }; }
  ]);
}`,
		"b.nix": `{ lib, ... }: { boot.binfmt = lib.someHelper { }; environment.etc.x.text = "y"; }`,
		"c.nix": `{ lib, ... }: { config = lib.unknownFunction { }; }`,
	}
	for n, text := range files {
		if err := os.WriteFile(filepath.Join(dir, n), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s := New(FileLoader(dir))
	s.File(filepath.Join(dir, "a.nix"))
	got := Relevant(s.Paths())
	want := []string{"boot.binfmt", "nix.settings.trusted-users", "services.openssh.enable", "users.users.*.openssh.authorizedKeys.keys"}
	if !slices.Equal(got, want) {
		t.Errorf("a.nix: got %q, want %q", got, want)
	}
	s = New(FileLoader(dir))
	s.File(filepath.Join(dir, "c.nix"))
	if got := Relevant(s.Paths()); !slices.Equal(got, []string{Any}) {
		t.Errorf("c.nix: got %q, want anything", got)
	}
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"users.users.*.openssh.authorizedKeys.keys", "users.users.bob.openssh.authorizedKeys.keys", true},
		{"users.users.alice.openssh", "users.users.bob.openssh.authorizedKeys.keys", false},
		{"nix", "nix.settings.trusted-users", true},
		{"nix.settings.substituters", "nix.settings.trusted-users", false},
		{"*", "services.openssh.enable", true},
	} {
		if Match(c.a, c.b) != c.want {
			t.Errorf("Match(%q, %q) != %v", c.a, c.b, c.want)
		}
	}
}

// TestTable: the shipped table knows the common inputs by url and by name,
// and srvos' builder role says exactly what it defines.
func TestTable(t *testing.T) {
	tab := Shipped()
	if d, rev, ok := tab.Input("github:nix-community/home-manager", "hm", "home-manager"); !ok || len(d) != 0 || len(rev) != 40 {
		t.Errorf("home-manager: %q %q %v", d, rev, ok)
	}
	if _, _, ok := tab.Input("", "sops-nix", "sops"); !ok {
		t.Error("sops-nix by name")
	}
	// An input named agenix whose url is ragenix's takes ragenix's entry
	// (agenix's modules as ragenix locks them, read at ragenix's revision),
	// never agenix's own.
	_, agenixRev, _ := tab.Input("github:ryantm/agenix", "agenix", "default")
	if _, rev, ok := tab.Input("github:yaxitech/ragenix", "agenix", "default"); !ok || rev == agenixRev {
		t.Errorf("an agenix input from another repository took agenix's entry (%q %v)", rev, ok)
	}
	d, _, ok := tab.Input("github:nix-community/srvos", "srvos", "roles-nix-remote-builder")
	want := []string{"nix.settings.trusted-users", "users.users.nix-remote-builder.group", "users.users.nix-remote-builder.isNormalUser", "users.users.nix-remote-builder.openssh.authorizedKeys.keys"}
	if !ok || !slices.Equal(d, want) {
		t.Errorf("srvos roles-nix-remote-builder: %q", d)
	}
	if d, _, _ := tab.Input("github:nix-community/srvos", "srvos", "server"); !slices.Contains(d, "services.openssh.enable") {
		t.Errorf("srvos server: %q", d)
	}
}

// TestScreenComputedBelow: a value that is the same name of a set computed
// elsewhere (disko's `boot = mkIf cfg.enableConfig cfg.devices._config.boot
// or { }`) can have only the names the source tree writes below that name
// anywhere; without the tree it can define everything below it.
func TestScreenComputedBelow(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"module.nix": `{ config, lib, ... }: let cfg = config.disko; in {
  imports = [ ./types/luks.nix ];
  config.boot = lib.mkIf cfg.enableConfig cfg.devices._config.boot or { };
}`,
		"types/luks.nix": `{ config, lib, ... }: {
  options._config = lib.mkOption { default = [
    { boot.initrd.luks.devices.${config.name} = { device = config.device; }; }
    { boot = { swraid.enable = true; resumeDevice = lib.mkIf config.resume config.device; }; }
  ]; };
}`,
		"types/zfs.nix": `{ lib, ... }: { x = [ { boot.supportedFilesystems = [ "zfs" ]; } ]; }`,
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
	s := New(FileLoader(dir))
	s.File(filepath.Join(dir, "module.nix"))
	if got := Relevant(s.Paths()); !slices.Equal(got, []string{"boot"}) {
		t.Errorf("without the tree: got %q, want boot", got)
	}
	s = New(FileLoader(dir))
	s.Tree = dir
	s.File(filepath.Join(dir, "module.nix"))
	if got := Relevant(s.Paths()); len(got) != 0 {
		t.Errorf("with the tree: got %q, want none (boot.initrd, swraid, resumeDevice, supportedFilesystems)", got)
	}
	// A binfmt registration written below boot anywhere in the tree counts.
	if err := os.WriteFile(filepath.Join(dir, "types/emu.nix"), []byte(`{ ... }: { y = { boot.binfmt.emulatedSystems = [ "aarch64-linux" ]; }; }`), 0o644); err != nil {
		t.Fatal(err)
	}
	s = New(FileLoader(dir))
	s.Tree = dir
	s.File(filepath.Join(dir, "module.nix"))
	if got := Relevant(s.Paths()); !slices.Equal(got, []string{"boot.binfmt.emulatedSystems"}) {
		t.Errorf("with binfmt in the tree: got %q", got)
	}
}
