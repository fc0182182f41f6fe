package rules

import (
	"fmt"
	"strings"

	"github.com/nixbuild-lint/nixbuild-lint/model"
)

func init() {
	Register(&Rule{
		Name: "unsupported-feature", Code: "NBL003", Severity: Error, Fixable: true,
		Title: "A build machine claims a system feature its host does not have",
		Why: `A client sends derivations that require a feature (big-parallel for kernels, kvm and
nixos-test for VM tests) only to machines whose supportedFeatures or mandatoryFeatures list it.
The builder checks against its own system-features and refuses with "a 'x86_64-linux' with
features {kvm} is required …, but I am a 'x86_64-linux' with features {…}". A builder whose
nix.settings.system-features is set replaces the default list (nixos-test, benchmark,
big-parallel, kvm), so features vanish without anyone removing them.`,
		Bad: `# client
nix.buildMachines = [ { hostName = "builder"; systems = [ "x86_64-linux" ]; supportedFeatures = [ "kvm" "cuda" ]; } ];
# builder
nix.settings.system-features = [ "big-parallel" ];`,
		Good: `# builder: keep the defaults and add what it really has
nix.settings.system-features = [ "nixos-test" "benchmark" "big-parallel" "kvm" "cuda" ];`,
		Check: checkUnsupportedFeature,
	})
}

// hardwareFeature is a feature a fix must never add to a builder: it
// promises hardware (or a CPU level) the tool cannot see.
func hardwareFeature(f string) bool {
	return f == "kvm" || f == "apple-virt" || strings.HasPrefix(f, "gccarch-") || f == "cuda"
}

func checkUnsupportedFeature(c *Context) []Finding {
	var out []Finding
	c.Entries(func(client *model.Host, m *model.Machine, b *model.Host) {
		if b == nil || b == client || b.Features.Unknown {
			return
		}
		seen := map[string]bool{}
		for _, field := range []struct {
			name string
			l    model.StrList
		}{{"supportedFeatures", m.SupportedFeatures}, {"mandatoryFeatures", m.MandatoryFeatures}} {
			if field.l.Unknown {
				continue
			}
			for i, feat := range field.l.V {
				if seen[feat] || b.Features.Has(feat) {
					continue
				}
				seen[feat] = true
				at := field.l.At
				if i < len(field.l.Items) && field.l.Items[i].Known() {
					at = field.l.Items[i]
				}
				f := Finding{Host: client.Name, At: at, Entry: m.Index + 1,
					Message: fmt.Sprintf("build machine %q claims feature %s, but host %s's system-features are %s: builds that require %s fail there",
						m.HostName.V, feat, b.Name, quoteList(b.Features.V), feat)}
				rel := Related{Host: b.Name, At: hostFileLoc(b), Message: fmt.Sprintf("host %s keeps the default system-features", b.Name)}
				if defs := b.Defs["nix.settings.system-features"]; len(defs) > 0 {
					rel = Related{Host: b.Name, At: defs[0].At, Message: fmt.Sprintf("host %s sets system-features here, which replaces the default list", b.Name)}
				}
				f.Related = append(f.Related, rel)
				if defs := b.Defs["nix.settings.system-features"]; ordinaryFeatures[feat] && b.Kind == "nixos" && len(defs) > 0 && defs[0].Priority < 1000 {
					// A NixOS default the host's own list replaced: the
					// same fix as system-features-replaced (done once).
					f.Fixes = append(f.Fixes, renameFeaturesFix(b))
				} else if hardwareFeature(feat) || len(b.Defs["nix.settings.system-features"]) == 0 {
					f.Fixes = append(f.Fixes, Fix{Host: client.Name, Kind: "entry-remove", Entry: m.Index, Field: field.name, Values: []string{feat},
						Message: fmt.Sprintf("stop claiming %s for %s", feat, b.Name)})
				} else {
					f.Fixes = append(f.Fixes, Fix{Host: b.Name, Kind: "append", Option: "nix.settings.system-features", Values: []string{feat},
						Message: fmt.Sprintf("give %s the feature %s", b.Name, feat)})
				}
				out = append(out, f)
			}
		}
	})
	return out
}
