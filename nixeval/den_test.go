package nixeval

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nixbuild-lint/nixbuild-lint/internal/standin"
	"github.com/nixbuild-lint/nixbuild-lint/model"
	"github.com/nixbuild-lint/nixbuild-lint/rules"
)

// denFlake is a flake-parts flake importing den (no source of den here)
// and the given flake module.
func denFlake(module string) map[string]string {
	return map[string]string{
		"flake.nix": `{ ` + nixpkgsInput + ` inputs.flake-parts.url = "github:hercules-ci/flake-parts"; inputs.den.url = "github:denful/den"; inputs.shared.url = "github:example/shared";
  outputs = inputs: inputs.flake-parts.lib.mkFlake { inherit inputs; } { imports = [ inputs.den.flakeModules.default ./den.nix ]; }; }`,
		"den.nix": module,
	}
}

// TestDen: the reader's model of den finds den's hosts where den puts
// them, composes their modules as den does, and says what it did not read.
func TestDen(t *testing.T) {
	for _, tc := range []struct {
		name, module string
		want         string // hosts (name:system)
		check        func(t *testing.T, hosts map[string]string, unread map[string][]string)
	}{
		{"nested and flat hosts, classes, intoAttr", `{
  den.hosts.x86_64-linux.a = { };
  den.hosts.aarch64-darwin.mac = { };
  den.hosts.b = { system = "aarch64-linux"; };
  den.hosts.phone = { system = "aarch64-linux"; class = "droid"; };
  den.hosts.x86_64-linux.guest.intoAttr = [ ];
}`, "a:x86_64-linux b:aarch64-linux mac:aarch64-darwin", nil},
		{"batteries: modelled, called, unknown", `{ den, ... }: {
  den.hosts.x86_64-linux.a.users.alice = { };
  den.default.includes = [ den.provides.hostname ];
  den.aspects.alice.includes = [ den._.primary-user (den.batteries.user-shell "zsh") den.provides.tty-autologin ];
}`, "a:x86_64-linux", func(t *testing.T, hosts map[string]string, unread map[string][]string) {
			got := strings.Join(unread["a"], "\n")
			for _, want := range []string{
				"den.nix:4:86: den battery den.provides.tty-autologin is not in the reader's model of den",
			} {
				if !strings.Contains(got, want) {
					t.Errorf("unread modules of a:\n%s\nwant %s", got, want)
				}
			}
			if want := "alice normal:true groups:wheel networkmanager shell:zsh"; hosts["a/alice"] != want {
				t.Errorf("user alice %q, want %q", hosts["a/alice"], want)
			}
			if strings.Contains(got, "hostname") || strings.Contains(got, "primary-user") || strings.Contains(got, "user-shell") {
				t.Errorf("a modelled battery is listed as not read:\n%s", got)
			}
		}},
		{"composed as den composes: stages, once per host, parametric at each stage", `{ den, ... }: {
  den.hosts.x86_64-linux.a.users = { alice = { }; bob = { }; };
  den.default.nixos.nix.settings.trusted-users = [ "default" ];
  den.default.includes = [
    ({ host, ... }: { nixos.nix.settings.trusted-users = [ "h-${host.name}" ]; })
    ({ host, user, ... }: { nixos.nix.settings.trusted-users = [ "u-${user.name}" ]; })
    den.aspects.shared
  ];
  den.aspects.shared.nixos.nix.settings.trusted-users = [ "shared" ];
  den.aspects.a.includes = [ den.aspects.shared ({ user, ... }: { nixos.nix.settings.trusted-users = [ "never" ]; }) ];
  den.aspects.bob.os.nix.settings.trusted-users = [ "bob-os" ];
  den.aspects.bob.darwin.nix.settings.trusted-users = [ "bob-darwin" ];
  den.aspects.alice.user.extraGroups = [ "wheel" ];
}`, "a:x86_64-linux", func(t *testing.T, hosts map[string]string, unread map[string][]string) {
			// What the real den gives (checked with Nix 2.8 on the vendored
			// den): the host stage's parametric includes, then each
			// user's, then the static modules, each static one once.
			want := "root h-a h-a u-alice h-a u-bob shared default bob-os"
			if got := hosts["a"]; got != want {
				t.Errorf("trusted users %q, want %q", got, want)
			}
		}},
		{"namespaces: <name> is den.ful.<name>, its sources merged, a source without source named", `{ inputs, den, ns, ... }: {
  imports = [ (inputs.den.namespace "ns" [ true { denful.ns.src.nixos.nix.settings.trusted-users = [ "from-source" ]; } inputs.shared ]) ];
  den.hosts.x86_64-linux.a = { };
  ns.local.nixos.nix.settings.trusted-users = [ "local" ];
  ns.local._.deep.nixos.nix.settings.trusted-users = [ "deep" ];
  den.aspects.a.includes = [ ns.local ns.src den.ful.ns.local._.deep ];
}`, "a:x86_64-linux", func(t *testing.T, hosts map[string]string, unread map[string][]string) {
			// What the real den gives (Nix 2.8 on the vendored den, without
			// inputs.shared): the list in include order.
			if want := "root local from-source deep"; hosts["a"] != want {
				t.Errorf("trusted users %q, want %q", hosts["a"], want)
			}
			want := "den.nix:2:121: den namespace ns: a source the reader cannot know: stand-in for flake input shared.denful"
			if got := strings.Join(unread["a"], "\n"); got != want {
				t.Errorf("unread modules of a:\n%s\nwant %s", got, want)
			}
		}},
		{"angle brackets: batteries, aspects, namespaces; an aspect den does not find abstains", `{ inputs, den, __findFile, ... }: {
  imports = [ (inputs.den.namespace "ns" false) ];
  _module.args.__findFile = den.lib.__findFile;
  den.hosts.x86_64-linux.a.users.alice = { };
  den.aspects.tools.provides.vim.nixos.nix.settings.trusted-users = [ "tools-vim" ];
  ns.nix.provides.trust.nixos.nix.settings.trusted-users = [ "ns-trust" ];
  den.aspects.a.includes = [ <tools/vim> <ns/nix/trust> <den/hostname> <nope/x> ];
  den.aspects.alice.includes = [ <den/primary-user> ];
}`, "a:x86_64-linux", func(t *testing.T, hosts map[string]string, unread map[string][]string) {
			// What the real den gives (Nix 2.8 on the vendored den, without
			// <nope/x>, which it throws on).
			if want := "root tools-vim ns-trust"; hosts["a"] != want {
				t.Errorf("trusted users %q, want %q", hosts["a"], want)
			}
			if want := "alice normal:true groups:wheel networkmanager shell:default"; hosts["a/alice"] != want {
				t.Errorf("user alice %q, want %q", hosts["a/alice"], want)
			}
			want := "den.nix:7:72: den include: den angle brackets <nope/x>: no aspect nope.provides.x (den.aspects.nope and the namespace den.ful.nope are not defined)"
			if got := strings.Join(unread["a"], "\n"); got != want {
				t.Errorf("unread modules of a:\n%s\nwant %s", got, want)
			}
		}},
		{"static modules in den's order: breadth first, den.default last of the second level, os a level later", `{ den, ... }: {
  den.hosts.x86_64-linux.a.users = { alice = { }; };
  den.default.nixos.nix.settings.trusted-users = [ "default" ];
  den.default.os.nix.settings.trusted-users = [ "default-os" ];
  den.default.includes = [ den.aspects.d1 ];
  den.aspects.d1.nixos.nix.settings.trusted-users = [ "d1" ];
  den.aspects.a.nixos.nix.settings.trusted-users = [ "host-aspect" ];
  den.aspects.a.os.nix.settings.trusted-users = [ "host-os" ];
  den.aspects.a.includes = [ den.aspects.shared den.aspects.s2 ];
  den.aspects.alice.nixos.nix.settings.trusted-users = [ "alice-aspect" ];
  den.aspects.shared.nixos.nix.settings.trusted-users = [ "shared" ];
  den.aspects.shared.os.nix.settings.trusted-users = [ "shared-os" ];
  den.aspects.shared.includes = [ den.aspects.s3 { nixos.nix.settings.trusted-users = [ "shared-inline" ]; } ];
  den.aspects.s2.nixos.nix.settings.trusted-users = [ "s2" ];
  den.aspects.s3.nixos.nix.settings.trusted-users = [ "s3" ];
}`, "a:x86_64-linux", func(t *testing.T, hosts map[string]string, unread map[string][]string) {
			// What the real den gives (Nix 2.8 on the vendored den); before,
			// the model had host-aspect host-os shared shared-os s3
			// shared-inline s2 default default-os d1 alice-aspect.
			if want := "root host-aspect alice-aspect shared shared-inline s2 default host-os s3 d1 shared-os default-os"; hosts["a"] != want {
				t.Errorf("trusted users %q, want %q", hosts["a"], want)
			}
			if want := "alice normal:false groups: shell:nologin"; hosts["a/alice"] != want {
				t.Errorf("user alice %q, want %q (den forwards every user into users.users)", hosts["a/alice"], want)
			}
		}},
		{"batteries mutual-provider and unfree", `{ den, ... }: {
  den.hosts.x86_64-linux.igloo.users = { alice = { }; bob = { }; };
  den.ctx.user.includes = [ den.provides.mutual-provider ];
  den.aspects.igloo.nixos.nix.settings.trusted-users = [ "igloo" ];
  den.aspects.igloo.provides.alice.nixos.nix.settings.trusted-users = [ "igloo-to-alice" ];
  den.aspects.igloo.provides.to-users = { user, ... }: { nixos.nix.settings.trusted-users = [ "igloo-to-${user.name}" ]; };
  den.aspects.alice.provides.igloo.nixos.nix.settings.trusted-users = [ "alice-to-igloo" ];
  den.aspects.alice.provides.to-hosts = { host, ... }: { nixos.nix.settings.trusted-users = [ "alice-to-host-${host.name}" ]; };
  den.aspects.alice.provides.bob.nixos.nix.settings.trusted-users = [ "alice-to-bob" ];
  den.aspects.alice.provides.to-users = { user, ... }: { nixos.nix.settings.trusted-users = [ "alice-to-user-${user.name}" ]; };
  den.aspects.bob.nixos.nix.settings.trusted-users = [ "bob" ];
  den.aspects.igloo.includes = [ (den.provides.unfree [ "steam" ]) ];
}`, "igloo:x86_64-linux", func(t *testing.T, hosts map[string]string, unread map[string][]string) {
			// What the real den gives (Nix 2.8 on the vendored den): each
			// provider once per host, igloo's to-users only for alice.
			if want := "root igloo-to-alice alice-to-host-igloo alice-to-user-bob igloo igloo-to-alice alice-to-igloo alice-to-bob bob"; hosts["igloo"] != want {
				t.Errorf("trusted users %q, want %q", hosts["igloo"], want)
			}
			if len(unread["igloo"]) != 0 {
				t.Errorf("unread modules of igloo: %q", unread["igloo"])
			}
		}},
		{"den.ctx.host and den.ctx.user includes: at their stages", `{ den, ... }: {
  den.hosts.x86_64-linux.a.users.alice = { };
  den.ctx.host.includes = [ { nixos.nix.settings.trusted-users = [ "ctx-host" ]; } ({ host, user, ... }: { nixos.nix.settings.trusted-users = [ "never" ]; }) ];
  den.ctx.user.includes = [ den.provides.define-user ({ host, ... }: { nixos.nix.settings.trusted-users = [ "u-${host.name}" ]; }) ];
}`, "a:x86_64-linux", func(t *testing.T, hosts map[string]string, unread map[string][]string) {
			// What the real den gives (Nix 2.8 on the vendored den): a
			// { host, user } include of the host stage is never applied.
			if want := "root u-a ctx-host"; hosts["a"] != want {
				t.Errorf("trusted users %q, want %q", hosts["a"], want)
			}
			if want := "alice normal:true groups: shell:default"; hosts["a/alice"] != want {
				t.Errorf("user alice %q, want %q", hosts["a/alice"], want)
			}
			if len(unread["a"]) != 0 {
				t.Errorf("unread modules of a: %q", unread["a"])
			}
		}},
		{"a custom context pipeline abstains", `{
  den.hosts.x86_64-linux.a = { };
  den.ctx.host.includes = [ { nixos.nix.settings.max-jobs = 0; } ];
  den.ctx.host.into.mine = { host }: [ { inherit host; } ];
}`, "a:x86_64-linux", func(t *testing.T, hosts map[string]string, unread map[string][]string) {
			if got := strings.Join(unread["a"], "\n"); !strings.Contains(got, "den.ctx (den's context pipeline as the fleet extends it) is not in the reader's model of den") {
				t.Errorf("unread modules of a:\n%s", got)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := readTree(t, denFlake(tc.module))
			if got := hostNames(f); got != tc.want {
				t.Fatalf("hosts %q, want %q", got, tc.want)
			}
			if tc.check != nil {
				unread := map[string][]string{}
				trusted := map[string]string{}
				for _, h := range f.Hosts {
					unread[h.Name] = h.Unread
					trusted[h.Name] = strings.Join(h.Trusted.V, " ")
					for _, u := range h.Users {
						trusted[h.Name+"/"+u.Name] = fmt.Sprintf("%s normal:%v groups:%s shell:%s", u.Name, u.IsNormalUser.V, strings.Join(u.ExtraGroups.V, " "), u.Shell.V)
					}
				}
				tc.check(t, trusted, unread)
			}
		})
	}
}

// TestDenFlakeModuleTrue: denful/den's newer flakeModule also takes true
// (imports = [ (inputs.den.flakeModule true) ]) and is then den's flake
// module as before.
func TestDenFlakeModuleTrue(t *testing.T) {
	f := readTree(t, map[string]string{
		"flake.nix": `{ ` + nixpkgsInput + ` inputs.flake-parts.url = "github:hercules-ci/flake-parts"; inputs.den.url = "github:denful/den";
  outputs = inputs: inputs.flake-parts.lib.mkFlake { inherit inputs; } { imports = [ (inputs.den.flakeModule true) ./den.nix ]; }; }`,
		"den.nix": `{ den.hosts.x86_64-linux.a = { }; den.aspects.a.nixos.nix.settings.max-jobs = 3; }`,
	})
	if got := hostNames(f); got != "a:x86_64-linux" {
		t.Fatalf("hosts %q", got)
	}
	if got := f.Hosts[0].MaxJobs.V; got != "3" {
		t.Errorf("max-jobs %q, want 3", got)
	}
}

// lockDenFleet copies a den fixture and locks it with the real nix flake
// lock against den, flake-parts, nix-effects and nixpkgs' lib from
// ../shared/vendor, which puts their sources in the store; then the
// fixture's own flake.nix (github urls) is put back and the copies are
// removed: a fleet whose inputs were fetched into the store, found there
// by the lock's narHash.
func lockDenFleet(t *testing.T, fixture string) string {
	t.Helper()
	if _, err := exec.LookPath("nix"); err != nil {
		t.Fatal("nix not found (scripts/test.sh installs nix-bin)")
	}
	vendored := []string{"den", "flake-parts", "nix-effects", "nixpkgs-lib"}
	tmp := standin.Vendored(t, "..", vendored...)
	fleet := filepath.Join(tmp, "fleet")
	if out, err := exec.Command("cp", "-r", filepath.Join("../testdata/configs", fixture), fleet).CombinedOutput(); err != nil {
		t.Fatalf("%v %s", err, out)
	}
	data, err := os.ReadFile(filepath.Join(fleet, "flake.nix"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	for _, r := range [][2]string{
		{`nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.05";`, `nixpkgs.url = "path:` + tmp + `/nixpkgs-lib";`},
		{`flake-parts.url = "github:hercules-ci/flake-parts";`, `flake-parts.url = "path:` + tmp + `/flake-parts"; flake-parts.inputs.nixpkgs-lib.follows = "nixpkgs";`},
		{`den.url = "github:vic/den";`, `den.url = "path:` + tmp + `/den";`},
		{`nix-effects.url = "github:vic/nix-effects";`, `nix-effects.url = "path:` + tmp + `/nix-effects"; nix-effects.inputs.nixpkgs.follows = "nixpkgs"; nix-effects.inputs.nix-unit.follows = "";`},
	} {
		if !strings.Contains(text, r[0]) {
			t.Fatalf("%s's flake.nix has no %s: update this test", fixture, r[0])
		}
		text = strings.Replace(text, r[0], r[1], 1)
	}
	if err := os.WriteFile(filepath.Join(fleet, "flake.nix"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	nixFlakeLock(t, fleet)
	if err := os.WriteFile(filepath.Join(fleet, "flake.nix"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, d := range vendored {
		if err := os.RemoveAll(filepath.Join(tmp, d)); err != nil {
			t.Fatal(err)
		}
	}
	return fleet
}

// TestDenRealSource: with den's real source in the store (and flake-parts',
// nix-effects' and nixpkgs' lib), the den fixtures read the same hosts,
// values, positions and findings as the model without any of them, and a
// note says den was read by the model. Before, den's source in the store
// was read as any input's: the reader got no hosts at all from den's own
// code (found no hosts, exit 2), where the model reads both.
func TestDenRealSource(t *testing.T) {
	for _, fixture := range []string{"den-fleet", "den-namespace-fleet"} {
		t.Run(fixture, func(t *testing.T) {
			fleet := lockDenFleet(t, fixture)
			start := time.Now()
			inStore, err := NewReader(fleet).Read(fleet, nil)
			if err != nil {
				t.Fatal(err)
			}
			took := time.Since(start)
			dir := filepath.Join("../testdata/configs", fixture)
			start = time.Now()
			alone, err := NewReader(dir).Read(dir, nil)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("read in %v with den's source in the store, %v without", took, time.Since(start))
			if got := hostNames(inStore); got != "pi:aarch64-linux ritchie:x86_64-linux" {
				t.Fatalf("hosts %q", got)
			}
			a, _ := json.MarshalIndent(inStore.Hosts, "", " ")
			b, _ := json.MarshalIndent(alone.Hosts, "", " ")
			if string(a) != string(b) {
				t.Errorf("hosts differ:\nin the store:\n%s\nwithout:\n%s", a, b)
			}
			if fa, fb := findingLines(inStore), findingLines(alone); fa != fb || fa == "" {
				t.Errorf("findings differ (or none):\nin the store:\n%s\nwithout:\n%s", fa, fb)
			}
			want := "den (input den) read by the reader's model, not its source in the store: the reader gets no hosts from den's own code (its context pipeline on nix-effects)"
			if !slices.Contains(inStore.Notes, want) {
				t.Errorf("notes %q, want %q among them", inStore.Notes, want)
			}
		})
	}
}

// findingLines are the fleet's findings, one "file:line:col: rule: message"
// a line.
func findingLines(f *model.Fleet) string {
	var out []string
	for _, fd := range rules.Run(f) {
		out = append(out, fd.At.String()+": "+fd.Rule+": "+fd.Message)
	}
	return strings.Join(out, "\n")
}
