package rules

import (
	"fmt"

	"github.com/nixbuild-lint/nixbuild-lint/model"
)

func init() {
	Register(&Rule{
		Name: "no-substitutes-on-builder", Code: "NBL026", Severity: Info, Fixable: true,
		Title: "Builders do not fetch from binary caches themselves",
		Why: `Without builders-use-substitutes the client first downloads every input the builder lacks
and uploads it over its own link (for a Pi: slowly, over Wi-Fi). With it, the builder fetches
what a binary cache has by itself.`,
		Bad:   "nix.distributedBuilds = true;",
		Good:  "nix.distributedBuilds = true;\nnix.settings.builders-use-substitutes = true;",
		Check: checkSubstitutes,
	})
	Register(&Rule{
		Name: "cross-compile-alternative", Code: "NBL027", Severity: Info,
		Title: "Cross-compiling is the other way to build for a system the builder lacks",
		Why: `Instead of emulating the client's system on the builder, the client can be built by
cross-compilation (nixpkgs.buildPlatform = the builder's system; nixpkgs.hostPlatform = its
own). That is fast on the builder, but cross-built derivations have other store paths: the
binary cache has none of them and nearly everything is rebuilt. Emulation keeps cache hits.`,
		Bad:   "# a Pi whose builder cannot run aarch64-linux",
		Good:  "nixpkgs.buildPlatform = \"x86_64-linux\";  # on the Pi: cross-compile (no cache hits)\n# or, on the builder: boot.binfmt.emulatedSystems = [ \"aarch64-linux\" ];",
		Check: checkCrossAlternative,
	})
	Register(&Rule{
		Name: "max-jobs-zero-blocks-local", Code: "NBL028", Severity: Info,
		Title: "max-jobs = 0 also sends trivial derivations to the builders",
		Why: `With max-jobs = 0 the host builds nothing itself, including derivations marked
preferLocalBuild (writeText, symlinkJoin and other trivial ones): each goes over SSH to a
builder and back. When a builder is unreachable, nothing builds at all.`,
		Bad:   "nix.settings.max-jobs = 0;",
		Good:  "nix.settings.max-jobs = 1;  # trivial builds stay local; big ones still go remote\n# or keep 0 and suppress this: # nixbuild-lint: ignore max-jobs-zero-blocks-local -- <why>",
		Check: checkMaxJobsZeroLocal,
	})
}

func checkSubstitutes(c *Context) []Finding {
	var out []Finding
	for _, h := range c.Fleet.Hosts {
		if len(knownEntries(h)) == 0 || h.UseSubst.Unknown || h.UseSubst.V || h.Distribute.Unknown || !h.Distribute.V {
			continue
		}
		at := h.Distribute.At
		if !at.Known() {
			at = h.Machines.At
		}
		f := Finding{Host: h.Name, At: at,
			Message: fmt.Sprintf("host %s builds remotely without builders-use-substitutes: it uploads inputs the builders could fetch from a binary cache themselves", h.Name)}
		f.Fixes = append(f.Fixes, Fix{Host: h.Name, Kind: "set", Option: "nix.settings.builders-use-substitutes", Values: []string{"true"},
			Message: fmt.Sprintf("let %s's builders use substitutes", h.Name)})
		out = append(out, f)
	}
	return out
}

// unsupported lists (entry, system) pairs the unsupported-system rule reports.
func unsupported(c *Context, fn func(client *model.Host, m *model.Machine, b *model.Host, s string, at model.Loc)) {
	c.Entries(func(client *model.Host, m *model.Machine, b *model.Host) {
		if b == nil || b == client || b.System.Unknown || b.ExtraPlat.Unknown {
			return
		}
		systems, locs, known := m.EffectiveSystems()
		if !known {
			return
		}
		for i, s := range systems {
			if !ValidSystem(s) || s == "builtin" || s == b.System.V || b.ExtraPlat.Has(s) {
				continue
			}
			if b.Kind == "darwin" && nixDefaultPlatform(b.System.V, s) {
				continue // Rosetta: cannot be known statically
			}
			fn(client, m, b, s, locs[i])
		}
	})
}

func checkCrossAlternative(c *Context) []Finding {
	var out []Finding
	unsupported(c, func(client *model.Host, m *model.Machine, b *model.Host, s string, at model.Loc) {
		if client.System.Unknown || s != client.System.V || !CanEmulate(b.System.V, s) {
			return
		}
		out = append(out, Finding{Host: client.Name, At: at, Entry: m.Index + 1,
			Message: fmt.Sprintf("instead of emulating %s on %s, %s could be cross-compiled there (nixpkgs.buildPlatform = %q): faster builds, but no binary cache hits, so nearly everything is rebuilt", s, b.Name, client.Name, b.System.V)})
	})
	return out
}

func checkMaxJobsZeroLocal(c *Context) []Finding {
	var out []Finding
	for _, h := range c.Fleet.Hosts {
		if h.MaxJobs.Unknown || h.MaxJobs.V != "0" || !h.MaxJobs.At.Known() {
			continue
		}
		out = append(out, Finding{Host: h.Name, At: h.MaxJobs.At,
			Message: fmt.Sprintf("host %s has max-jobs = 0: even trivial derivations (preferLocalBuild) go to a builder, and nothing builds while the builders are unreachable", h.Name)})
	}
	return out
}
