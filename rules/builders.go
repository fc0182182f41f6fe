package rules

import (
	"fmt"
	"strings"

	"github.com/nixbuild-lint/nixbuild-lint/model"
)

func init() {
	Register(&Rule{
		Name: "builder-max-jobs-zero", Code: "NBL020", Severity: Error,
		Title: "A builder may not build itself (max-jobs = 0)",
		Why: `The builder runs the builds it receives with its own max-jobs: the client's options are not
forwarded. A builder with nix.settings.max-jobs = 0 (often a copied client configuration)
refuses every build: "build of '…' on '…' failed: error: unable to start any build".`,
		Bad:   "# builder\nnix.settings.max-jobs = 0;",
		Good:  "# builder\nnix.settings.max-jobs = \"auto\";",
		Check: checkBuilderMaxJobs,
	})
	Register(&Rule{
		Name: "extra-platforms-without-emulation", Code: "NBL021", Severity: Warning, Fixable: true,
		Title: "extra-platforms claims a system nothing emulates",
		Why: `nix.settings.extra-platforms tells Nix it may build for a system; it does not make the system
run. Without a binfmt registration the builds start and fail ("Exec format error"). Setting it
by hand also replaces Nix's default (i686-linux and x86_64-v* on x86_64). boot.binfmt
.emulatedSystems registers QEMU and sets extra-platforms correctly. One exception is advice
(info): armv7l-linux or armv6l-linux on an aarch64-linux host runs natively when the CPU
keeps AArch32 (the Raspberry Pi 3 and 4 do; Apple silicon and many newer server cores do not).
Emulation counts from wherever it comes: boot.binfmt.emulatedSystems, a hand-written
boot.binfmt.registrations.<name> (its system from its name or its ELF magic), NixOS's
virtualisation.rosetta (x86_64-linux); an OrbStack guest (its configuration names
/opt/orbstack-guest) is emulated by OrbStack's VM, so nothing is claimed about it.
On nix-darwin nothing emulates another platform (Rosetta runs x86_64-darwin on Apple silicon,
which Nix adds itself): the finding says to remove the claim, as on a NixOS host for a system
QEMU cannot emulate there.`,
		Bad:   `nix.settings.extra-platforms = [ "aarch64-linux" ];`,
		Good:  `boot.binfmt.emulatedSystems = [ "aarch64-linux" ];`,
		Check: checkExtraPlatforms,
	})
	Register(&Rule{
		Name: "emulating-own-system", Code: "NBL022", Severity: Error, Fixable: true,
		Title: "A host emulates its own system",
		Why: `Registering QEMU for the host's own architecture sends every native binary through the
emulator; on older NixOS it broke shells with "Too many levels of symbolic links", newer
NixOS refuses it with an assertion.`,
		Bad:   "# x86_64-linux host\nboot.binfmt.emulatedSystems = [ \"x86_64-linux\" \"aarch64-linux\" ];",
		Good:  "boot.binfmt.emulatedSystems = [ \"aarch64-linux\" ];",
		Check: checkOwnEmulation,
	})
	Register(&Rule{
		Name: "system-features-replaced", Code: "NBL023", Severity: Warning, Fixable: true,
		Title: "A builder's system-features drops defaults its clients claim",
		Why: `Setting nix.settings.system-features replaces NixOS's default list (nixos-test, benchmark,
big-parallel, kvm); it does not add to it. A module that meant to add cuda silently removes
big-parallel, and kernels no longer go to that builder. Use extra-system-features to add.`,
		Bad:   `nix.settings.system-features = [ "cuda" ];`,
		Good:  `nix.settings.extra-system-features = [ "cuda" ];`,
		Check: checkFeaturesReplaced,
	})
	Register(&Rule{
		Name: "sshserve-mismatch", Code: "NBL024", Severity: Error,
		Title: "A build machine logs in as nix-ssh, and the builder's nix.sshServe does not fit",
		Why: `nix.sshServe makes a nix-ssh user whose ssh key may only run one command: nix-store --serve
(protocol ssh, --write only with write = true) or nix-daemon --stdio (protocol ssh-ng). A
client with the other protocol, or using ssh:// (which always asks for --serve --write)
against write = false, gets "not running unknown command" or a protocol mismatch.`,
		Bad:   "# builder\nnix.sshServe = { enable = true; protocol = \"ssh\"; };\n# client\n{ hostName = \"builder\"; sshUser = \"nix-ssh\"; protocol = \"ssh-ng\"; }",
		Good:  "nix.sshServe = { enable = true; protocol = \"ssh-ng\"; trusted = true; };",
		Check: checkSSHServe,
	})
}

// clientsOf lists the entries that reach builder b.
func clientsOf(c *Context, b *model.Host) []*model.Machine {
	var out []*model.Machine
	c.Entries(func(client *model.Host, m *model.Machine, x *model.Host) {
		if x == b && client != b {
			out = append(out, m)
		}
	})
	return out
}

func checkBuilderMaxJobs(c *Context) []Finding {
	var out []Finding
	c.Entries(func(client *model.Host, m *model.Machine, b *model.Host) {
		if b == nil || b == client || b.MaxJobs.Unknown || b.MaxJobs.V != "0" {
			return
		}
		out = append(out, Finding{Host: client.Name, At: m.HostName.At, Entry: m.Index + 1,
			Message: fmt.Sprintf("build machine %q is host %s, whose own max-jobs is 0: it refuses every build (\"unable to start any build\")", m.HostName.V, b.Name),
			Related: []Related{{Host: b.Name, At: b.MaxJobs.At, Message: fmt.Sprintf("host %s sets max-jobs = 0 here", b.Name)}}})
	})
	return out
}

// nixDefaultPlatform reports whether Nix itself lets a host of system sys
// build for s (extra-platforms it adds on its own).
func nixDefaultPlatform(sys, s string) bool {
	if sys == "x86_64-linux" {
		return s == "i686-linux" || strings.HasPrefix(s, "x86_64-v") && strings.HasSuffix(s, "-linux")
	}
	return sys == "aarch64-darwin" && s == "x86_64-darwin"
}

func checkExtraPlatforms(c *Context) []Finding {
	var out []Finding
	for _, h := range c.Fleet.Hosts {
		if h.System.Unknown || h.Emulated.Unknown || h.ExtraPlat.Unknown {
			continue
		}
		defs := h.Defs["nix.settings.extra-platforms"]
		if len(defs) == 0 {
			continue
		}
		for i, s := range h.ExtraPlat.V {
			if s == h.System.V || nixDefaultPlatform(h.System.V, s) {
				continue
			}
			if yes, known := h.Emulates(s); yes || !known {
				continue
			}
			at := defs[0].At
			if i < len(h.ExtraPlat.Items) && h.ExtraPlat.Items[i].Known() {
				at = h.ExtraPlat.Items[i]
			}
			if h.System.V == "aarch64-linux" && (s == "armv7l-linux" || s == "armv6l-linux") {
				// 32-bit ARM code runs natively on aarch64 CPUs that keep
				// AArch32 (Cortex-A53/A72 of the Raspberry Pi 3 and 4, …).
				out = append(out, Finding{Host: h.Name, At: at, Advice: true,
					Message: fmt.Sprintf("host %s claims %s in extra-platforms without emulation: that works natively only if its CPU runs 32-bit ARM code (AArch32: Raspberry Pi 3 and 4, Cortex-A53/A72), not on CPUs without it (Apple silicon, many newer server cores), where builds fail with \"Exec format error\"", h.Name, s)})
				continue
			}
			// The way out: emulation where NixOS can register it; nix-darwin
			// has no binfmt emulation (Rosetta runs only x86_64-darwin on
			// Apple silicon, which Nix adds itself).
			way := "use boot.binfmt.emulatedSystems"
			switch {
			case h.Kind == "darwin":
				way = "nix-darwin cannot emulate it: remove it from extra-platforms"
			case !CanEmulate(h.System.V, s):
				way = "it cannot be emulated there: remove it from extra-platforms"
			}
			f := Finding{Host: h.Name, At: at,
				Message: fmt.Sprintf("host %s claims %s in extra-platforms but does not emulate it: builds for it start and fail (\"Exec format error\"); %s", h.Name, s, way)}
			if h.Kind == "nixos" && CanEmulate(h.System.V, s) {
				f.Fixes = append(f.Fixes, Fix{Host: h.Name, Kind: "append", Option: "boot.binfmt.emulatedSystems", Values: []string{s},
					Message: fmt.Sprintf("emulate %s on %s", s, h.Name)})
			}
			out = append(out, f)
		}
	}
	return out
}

func checkOwnEmulation(c *Context) []Finding {
	var out []Finding
	for _, h := range c.Fleet.Hosts {
		if h.System.Unknown || h.Emulated.Unknown {
			continue
		}
		for i, s := range h.Emulated.V {
			if s != h.System.V {
				continue
			}
			at := h.Emulated.At
			if i < len(h.Emulated.Items) && h.Emulated.Items[i].Known() {
				at = h.Emulated.Items[i]
			}
			f := Finding{Host: h.Name, At: at, Message: fmt.Sprintf("host %s is %s and emulates %s: every native binary would go through QEMU", h.Name, s, s)}
			f.Fixes = append(f.Fixes, Fix{Host: h.Name, Kind: "remove", Option: "boot.binfmt.emulatedSystems", Values: []string{s},
				Message: fmt.Sprintf("stop emulating %s on %s", s, h.Name)})
			out = append(out, f)
		}
	}
	return out
}

func checkFeaturesReplaced(c *Context) []Finding {
	var out []Finding
	for _, b := range c.Fleet.Hosts {
		defs := b.Defs["nix.settings.system-features"]
		if b.Features.Unknown || len(defs) == 0 || defs[0].Priority >= 1000 {
			continue
		}
		dropped := map[string]bool{}
		for _, m := range clientsOf(c, b) {
			for _, f := range append(append([]string{}, m.SupportedFeatures.V...), m.MandatoryFeatures.V...) {
				if ordinaryFeatures[f] && !b.Features.Has(f) {
					dropped[f] = true
				}
			}
		}
		if len(dropped) == 0 {
			continue
		}
		var names []string
		for _, f := range []string{"nixos-test", "benchmark", "big-parallel", "kvm"} {
			if dropped[f] {
				names = append(names, f)
			}
		}
		f := Finding{Host: b.Name, At: defs[0].At,
			Message: fmt.Sprintf("host %s sets system-features, which replaces the defaults: %s, which its clients claim, is gone; add to the defaults with extra-system-features instead", b.Name, strings.Join(names, ", "))}
		f.Fixes = append(f.Fixes, renameFeaturesFix(b))
		out = append(out, f)
	}
	return out
}

// renameFeaturesFix writes a host's system-features as
// extra-system-features: its features are then added to NixOS's defaults.
func renameFeaturesFix(b *model.Host) Fix {
	return Fix{Host: b.Name, Kind: "rename", Option: "nix.settings.system-features", Values: []string{"extra-system-features"},
		Message: fmt.Sprintf("add %s's system-features to the defaults (extra-system-features)", b.Name)}
}

func checkSSHServe(c *Context) []Finding {
	var out []Finding
	c.Entries(func(client *model.Host, m *model.Machine, b *model.Host) {
		if b == nil || b == client || m.SSHUser.Unknown || m.SSHUser.V != "nix-ssh" || !b.SSHServe.Enable.V || b.SSHServe.Protocol.Unknown || m.Protocol.Unknown {
			return
		}
		proto := m.Protocol.V
		if m.Protocol.Null {
			proto = "ssh"
		}
		var why string
		switch {
		case proto != b.SSHServe.Protocol.V:
			why = fmt.Sprintf("the client speaks %s but nix.sshServe serves %s (\"not running unknown command\")", proto, b.SSHServe.Protocol.V)
		case proto == "ssh" && !b.SSHServe.Write.Unknown && !b.SSHServe.Write.V:
			why = "ssh:// always runs nix-store --serve --write, and nix.sshServe.write is false"
		default:
			return
		}
		out = append(out, Finding{Host: client.Name, At: m.Protocol.At, Entry: m.Index + 1,
			Message: fmt.Sprintf("build machine %q logs in as nix-ssh on host %s, but %s", m.HostName.V, b.Name, why),
			Related: []Related{{Host: b.Name, At: b.SSHServe.Enable.At, Message: "nix.sshServe is set up here"}}})
	})
	return out
}
