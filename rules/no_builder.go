package rules

import (
	"fmt"

	"github.com/nixbuild-lint/nixbuild-lint/model"
)

func init() {
	Register(&Rule{
		Name: "no-builder-for-system", Code: "NBL002", Severity: Error, Fixable: true,
		Title: "A host that may not build locally has no build machine for its own system",
		Why: `With nix.settings.max-jobs = 0 a host builds nothing itself: every derivation must go to a
build machine whose systems include the derivation's system. Its own system is the one it
needs most (its whole closure). If no entry lists it, Nix stops with
"Failed to find a machine for remote build!" and "unable to start any build; either increase
'--max-jobs' or enable remote builds."`,
		Bad: `# pi (aarch64-linux)
nix.settings.max-jobs = 0;
nix.buildMachines = [ { hostName = "ritchie"; systems = [ "x86_64-linux" ]; } ];`,
		Good: `nix.buildMachines = [ { hostName = "ritchie"; systems = [ "x86_64-linux" "aarch64-linux" ]; } ];
# and ritchie emulates aarch64-linux`,
		Check: checkNoBuilder,
	})
}

func checkNoBuilder(c *Context) []Finding {
	var out []Finding
	for _, h := range c.Fleet.Hosts {
		if h.MaxJobs.Unknown || h.MaxJobs.V != "0" || h.System.Unknown || h.Machines.Unknown || h.Distribute.Unknown {
			continue
		}
		if len(h.Machines.Entries) > 0 && !h.Distribute.V {
			continue // distributed-builds-disabled says it
		}
		need := h.System.V
		covered := false
		var candidate *model.Machine
		var candidateBuilder *model.Host
		for _, m := range h.Machines.Entries {
			systems, _, known := m.EffectiveSystems()
			if m.Unknown || !known {
				covered = true // cannot tell
				break
			}
			for _, s := range systems {
				if s == need {
					covered = true
				}
			}
			b, _ := c.Resolve(h, m)
			if b == nil || b == h || b.System.Unknown {
				continue
			}
			native := func(x *model.Host) bool { return x.System.V == need || x.ExtraPlat.Has(need) }
			// Prefer a builder that already runs the system over one that could emulate it.
			if candidate == nil && (native(b) || CanEmulate(b.System.V, need)) || candidate != nil && native(b) && !native(candidateBuilder) {
				candidate, candidateBuilder = m, b
			}
		}
		if covered {
			continue
		}
		msg := fmt.Sprintf("host %s may not build locally (max-jobs = 0), but no build machine takes %s, its own system: its builds fail with \"Failed to find a machine for remote build!\"", h.Name, need)
		f := Finding{Host: h.Name, At: h.MaxJobs.At, Message: msg}
		if !f.At.Known() {
			f.At = h.Machines.At
		}
		if candidate != nil {
			f.Related = append(f.Related, Related{Host: h.Name, At: candidate.At, Message: fmt.Sprintf("build machine %q could take %s", candidate.HostName.V, need)})
			f.Fixes = append(f.Fixes, Fix{Host: h.Name, Kind: "entry-append", Entry: candidate.Index, Field: systemsField(candidate), Values: []string{need},
				Message: fmt.Sprintf("send %s builds to %s", need, candidateBuilder.Name)})
		}
		out = append(out, f)
	}
	return out
}
