package rules

import (
	"fmt"
)

func init() {
	Register(&Rule{
		Name: "invalid-system", Code: "NBL008", Severity: Error, Fixable: true,
		Title: "A system is not a Nix system double",
		Why: `Nix compares systems as plain strings: a derivation for aarch64-linux only goes to a machine
that lists exactly "aarch64-linux". "arm64-linux", "aarch64", "x86_64_linux" never match, so
the machine is never used for them ("Failed to find a machine for remote build!").`,
		Bad:   `nix.buildMachines = [ { hostName = "mac"; systems = [ "arm64-darwin" ]; } ];`,
		Good:  `nix.buildMachines = [ { hostName = "mac"; systems = [ "aarch64-darwin" ]; } ];`,
		Check: checkInvalidSystem,
	})
}

func checkInvalidSystem(c *Context) []Finding {
	var out []Finding
	for _, h := range c.Fleet.Hosts {
		for _, m := range knownEntries(h) {
			if m.Unknown {
				continue
			}
			systems, locs, known := m.EffectiveSystems()
			if !known {
				continue
			}
			for i, s := range systems {
				if ValidSystem(s) {
					continue
				}
				f := Finding{Host: h.Name, At: locs[i], Entry: m.Index + 1,
					Message: fmt.Sprintf("build machine %q lists %q, which is not a Nix system: no derivation ever matches it", m.HostName.V, s)}
				if sug := SuggestSystem(s); sug != "" {
					f.Message += fmt.Sprintf("; did you mean %q?", sug)
					f.Fixes = append(f.Fixes, Fix{Host: h.Name, Kind: "entry-replace", Entry: m.Index, Field: systemsField(m), Values: []string{s, sug},
						Message: fmt.Sprintf("write %s instead of %s", sug, s)})
				}
				out = append(out, f)
			}
		}
		if h.Emulated.Unknown {
			continue
		}
		for i, s := range h.Emulated.V {
			if CanEmulateName(s) {
				continue
			}
			at := h.Emulated.At
			if i < len(h.Emulated.Items) && h.Emulated.Items[i].Known() {
				at = h.Emulated.Items[i]
			}
			f := Finding{Host: h.Name, At: at, Message: fmt.Sprintf("boot.binfmt.emulatedSystems lists %q, which NixOS cannot emulate", s)}
			if sug := SuggestSystem(s); sug != "" && CanEmulateName(sug) {
				f.Message += fmt.Sprintf("; did you mean %q?", sug)
				f.Fixes = append(f.Fixes, Fix{Host: h.Name, Kind: "replace", Option: "boot.binfmt.emulatedSystems", Values: []string{s, sug},
					Message: fmt.Sprintf("write %s instead of %s", sug, s)})
			}
			out = append(out, f)
		}
	}
	return out
}

// CanEmulateName reports whether s is a value boot.binfmt.emulatedSystems accepts.
func CanEmulateName(s string) bool {
	for _, b := range BinfmtSystems {
		if b == s {
			return true
		}
	}
	return false
}
