package nixeval

import (
	"fmt"
	"strings"
	"testing"
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
		{"a custom context pipeline abstains", `{
  den.hosts.x86_64-linux.a = { };
  den.ctx.host.includes = [ { nixos.nix.settings.max-jobs = 0; } ];
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
