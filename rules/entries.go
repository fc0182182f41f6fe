package rules

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/nixbuild-lint/nixbuild-lint/model"
)

func init() {
	Register(&Rule{
		Name: "zero-max-jobs", Code: "NBL014", Severity: Error, Fixable: true,
		Title: "A build machine has maxJobs 0 or less",
		Why: `A machine's maxJobs is how many builds the client may run on it at once. With 0 it has no
slot: Nix keeps postponing ("waiting for a machine to build '…'") forever. A negative value
is not even read ("failed to convert column #3 … to 'unsigned int'"). The NixOS option's type
allows both.`,
		Bad:   `{ hostName = "builder"; systems = [ "x86_64-linux" ]; maxJobs = 0; }`,
		Good:  `{ hostName = "builder"; systems = [ "x86_64-linux" ]; maxJobs = 4; }`,
		Check: checkZeroMaxJobs,
	})
	Register(&Rule{
		Name: "bad-speed-factor", Code: "NBL015", Severity: Warning,
		Title: "A build machine's speedFactor is not a positive integer",
		Why: `speedFactor ranks machines (load divided by speed). Nix reads it as an unsigned integer
before 2.20: a fractional value makes the whole machines file unreadable ("failed to convert
column #4 … to 'unsigned int'"), so no remote build works. Zero is taken as 1; negative values
are rejected ("speed factor must be >= 0").`,
		Bad:   `speedFactor = 1.5;`,
		Good:  `speedFactor = 2;`,
		Check: checkSpeedFactor,
	})
	Register(&Rule{
		Name: "duplicate-builder", Code: "NBL016", Severity: Warning,
		Title: "Two build machine entries reach the same builder",
		Why: `Two entries for one machine (often under two names, x.local and x.vpn) that offer it the same
system make Nix count two sets of job slots for it: the builder gets twice the builds it was
sized for, and the other builders are skipped by the load ranking. Entries for one machine
that offer different systems (native x86_64-linux with 16 jobs, emulated aarch64-linux with 2),
or differ in mandatoryFeatures (a lane that only takes big-parallel builds), are a deliberate
layout and are not reported; nor are entries with the same store URI (protocol://user@host):
Nix keeps the slot locks of a machine by URI, so they share their slots.`,
		Bad:   "nix.buildMachines = [ { hostName = \"ritchie\"; … } { hostName = \"ritchie.lan\"; … } ];",
		Good:  "nix.buildMachines = [ { hostName = \"ritchie\"; maxJobs = 8; … } ];",
		Check: checkDuplicateBuilder,
	})
	Register(&Rule{
		Name: "mandatory-features-misuse", Code: "NBL019", Severity: Warning,
		Title: "Ordinary features are listed as mandatory",
		Why: `mandatoryFeatures restricts a machine to derivations that require all of them: a machine
with mandatoryFeatures = [ "big-parallel" ] only ever builds kernels and the like, never
normal packages. Features a machine merely has belong in supportedFeatures. Not reported when
another entry for the same machine and system has no such mandatory features: that is a lane
kept for big builds, and ordinary packages go through the other entry.`,
		Bad:   `mandatoryFeatures = [ "big-parallel" "benchmark" ];`,
		Good:  `supportedFeatures = [ "big-parallel" "benchmark" ];`,
		Check: checkMandatory,
	})
	Register(&Rule{
		Name: "deprecated-system-attribute", Code: "NBL025", Severity: Info, Fixable: true,
		Title: "A build machine uses system instead of systems",
		Why: `nix.buildMachines.*.system takes one system and, when set, silently wins over systems. The
list form is clearer and is what adding a system (emulation, a second architecture) needs.`,
		Bad:   `{ hostName = "builder"; system = "x86_64-linux"; }`,
		Good:  `{ hostName = "builder"; systems = [ "x86_64-linux" ]; }`,
		Check: checkSystemAttribute,
	})
}

func checkZeroMaxJobs(c *Context) []Finding {
	var out []Finding
	for _, h := range c.Fleet.Hosts {
		for _, m := range knownEntries(h) {
			if m.MaxJobs.Unknown || m.MaxJobs.V > 0 {
				continue
			}
			f := Finding{Host: h.Name, At: m.MaxJobs.At, Entry: m.Index + 1,
				Message: fmt.Sprintf("build machine %q has maxJobs = %g: it never gets a build slot, and builds wait for it forever", m.HostName.V, m.MaxJobs.V)}
			if f.At.Known() {
				f.Fixes = append(f.Fixes, Fix{Host: h.Name, Kind: "entry-set", Entry: m.Index, Field: "maxJobs", Values: []string{"1"},
					Message: fmt.Sprintf("give %q one build slot", m.HostName.V)})
			}
			out = append(out, f)
		}
	}
	return out
}

func checkSpeedFactor(c *Context) []Finding {
	var out []Finding
	for _, h := range c.Fleet.Hosts {
		for _, m := range knownEntries(h) {
			sf := m.SpeedFactor
			if sf.Unknown {
				continue
			}
			var why string
			switch {
			case sf.V < 0:
				why = "negative: Nix rejects the machines file"
			case sf.V == 0:
				why = "0: Nix takes it as 1"
			case sf.V != math.Trunc(sf.V):
				why = "fractional: Nix before 2.20 cannot read the machines file at all"
			default:
				continue
			}
			out = append(out, Finding{Host: h.Name, At: sf.At, Entry: m.Index + 1,
				Message: fmt.Sprintf("build machine %q has speedFactor = %g, %s", m.HostName.V, sf.V, why)})
		}
	}
	return out
}

// builderKey names the machine an entry reaches: the fleet host it
// resolves to, else its bare host name.
func builderKey(c *Context, h *model.Host, m *model.Machine) string {
	if b, _ := c.Resolve(h, m); b != nil {
		return "host:" + b.Name
	}
	return "name:" + BareHost(m.HostName.V)
}

// storeURI is the store URI an entry becomes in the machines file
// (protocol://user@hostName), by which Nix counts its slots.
func storeURI(m *model.Machine) string {
	u := m.HostName.V
	if !m.SSHUser.Null && !m.SSHUser.Unknown && m.SSHUser.V != "" {
		u = m.SSHUser.V + "@" + u
	}
	if !m.Protocol.Null && !m.Protocol.Unknown {
		u = m.Protocol.V + "://" + u
	}
	return u
}

// featureSet is a list's values, sorted and once each, as one key.
func featureSet(l model.StrList) string {
	var xs []string
	for _, x := range l.V {
		if !slices.Contains(xs, x) {
			xs = append(xs, x)
		}
	}
	slices.Sort(xs)
	return strings.Join(xs, ",")
}

// sharedSystems lists the systems two entries both offer (nil when either
// list is unknown: nothing is claimed).
func sharedSystems(a, b *model.Machine) []string {
	sa, _, ka := a.EffectiveSystems()
	sb, _, kb := b.EffectiveSystems()
	if !ka || !kb {
		return nil
	}
	var out []string
	for _, s := range sa {
		if slices.Contains(sb, s) && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// checkDuplicateBuilder: two entries are duplicates when they reach the
// same machine, offer it a system in common and require the same mandatory
// features. One entry per system (native x86_64 with 16 jobs, emulated
// aarch64 with 2), or a second entry that only takes big-parallel builds,
// is a deliberate layout: each system has its own slots.
func checkDuplicateBuilder(c *Context) []Finding {
	var out []Finding
	for _, h := range c.Fleet.Hosts {
		var seen []*model.Machine
		var keys []string
		for _, m := range knownEntries(h) {
			if m.HostName.Unknown || m.MandatoryFeatures.Unknown {
				continue
			}
			key := builderKey(c, h, m) + "|" + featureSet(m.MandatoryFeatures)
			var first *model.Machine
			var both []string
			for i, x := range seen {
				if keys[i] != key {
					continue
				}
				if storeURI(x) == storeURI(m) {
					// The same store URI: Nix's slot locks are per URI
					// (current-load/<uri>-<n>), so the slots are shared.
					continue
				}
				if both = sharedSystems(x, m); len(both) > 0 {
					first = x
					break
				}
			}
			if first != nil {
				out = append(out, Finding{Host: h.Name, At: m.HostName.At, Entry: m.Index + 1,
					Message: fmt.Sprintf("build machine %q offers %s to the same builder as %q: its job slots count twice", m.HostName.V, strings.Join(both, ", "), first.HostName.V),
					Related: []Related{{Host: h.Name, At: first.HostName.At, Message: "the first entry for it"}}})
				continue
			}
			seen = append(seen, m)
			keys = append(keys, key)
		}
	}
	return out
}

var ordinaryFeatures = map[string]bool{"big-parallel": true, "benchmark": true, "nixos-test": true, "kvm": true}

func checkMandatory(c *Context) []Finding {
	var out []Finding
	for _, h := range c.Fleet.Hosts {
		for _, m := range knownEntries(h) {
			if m.MandatoryFeatures.Unknown {
				continue
			}
			var ordinary []string
			for _, f := range m.MandatoryFeatures.V {
				if ordinaryFeatures[f] {
					ordinary = append(ordinary, f)
				}
			}
			if len(ordinary) == 0 || hasGeneralLane(c, h, m) {
				continue
			}
			out = append(out, Finding{Host: h.Name, At: m.MandatoryFeatures.At, Entry: m.Index + 1,
				Message: fmt.Sprintf("build machine %q lists %s as mandatory: it only builds derivations that require them, never ordinary packages; move them to supportedFeatures", m.HostName.V, strings.Join(ordinary, ", "))})
		}
	}
	return out
}

// hasGeneralLane reports whether another entry of h reaches the machine m
// reaches, for a system m offers, without m's mandatory features: then m
// is a deliberate lane for big builds (one slot for kernels, the others
// for everything) and ordinary packages still go to that machine.
func hasGeneralLane(c *Context, h *model.Host, m *model.Machine) bool {
	key := builderKey(c, h, m)
	for _, x := range knownEntries(h) {
		if x == m || x.HostName.Unknown || x.MandatoryFeatures.Unknown || builderKey(c, h, x) != key || len(sharedSystems(x, m)) == 0 {
			continue
		}
		lacks := false
		for _, f := range m.MandatoryFeatures.V {
			if !x.MandatoryFeatures.Has(f) {
				lacks = true
			}
		}
		if lacks {
			return true
		}
	}
	return false
}

func checkSystemAttribute(c *Context) []Finding {
	var out []Finding
	for _, h := range c.Fleet.Hosts {
		for _, m := range knownEntries(h) {
			if m.System.Null || m.System.Unknown || !m.System.At.Known() {
				continue
			}
			f := Finding{Host: h.Name, At: m.System.At, Entry: m.Index + 1,
				Message: fmt.Sprintf("build machine %q uses system = %q; systems = [ … ] is the list form (and system silently wins over it)", m.HostName.V, m.System.V)}
			f.Fixes = append(f.Fixes, Fix{Host: h.Name, Kind: "entry-to-systems", Entry: m.Index, Field: "system", Values: []string{},
				Message: fmt.Sprintf("write %q's system as systems = [ … ]", m.HostName.V)})
			out = append(out, f)
		}
	}
	return out
}
