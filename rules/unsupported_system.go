package rules

import (
	"fmt"

	"github.com/nixbuild-lint/nixbuild-lint/model"
)

func init() {
	Register(&Rule{
		Name: "unsupported-system", Code: "NBL001", Severity: Error, Fixable: true,
		Title: "A build machine is given a system its host can neither run nor emulate",
		Why: `Nix sends a derivation to the first machine whose systems list contains the derivation's system.
The builder then checks for itself: the system must be its own or one of its extra-platforms.
If it is neither, the build fails on the builder with
"a 'aarch64-linux' with features {} is required to build '…', but I am a 'x86_64-linux' …"
(Nix 2.30 and later: "Cannot build '…'. Reason: platform mismatch"). The cause is on the
builder, not on the client whose file lists the machine: the builder must emulate the system
(boot.binfmt.emulatedSystems registers QEMU and adds it to extra-platforms), or the client
must stop claiming it.`,
		Bad: `# client (aarch64-linux)
nix.buildMachines = [ { hostName = "ritchie"; systems = [ "x86_64-linux" "aarch64-linux" ]; } ];
# ritchie (x86_64-linux): no emulation`,
		Good: `# ritchie (x86_64-linux)
boot.binfmt.emulatedSystems = [ "aarch64-linux" ];`,
		Check: checkUnsupportedSystem,
	})
}

func checkUnsupportedSystem(c *Context) []Finding {
	var out []Finding
	unsupported(c, func(client *model.Host, m *model.Machine, b *model.Host, s string, at model.Loc) {
		offers := b.System.V
		if len(b.ExtraPlat.V) > 0 {
			offers += fmt.Sprintf(" (extra-platforms: %s)", quoteList(b.ExtraPlat.V))
		}
		emul := "does not emulate it"
		if len(b.Emulated.V) > 0 {
			emul = "emulates only " + quoteList(b.Emulated.V)
		}
		f := Finding{
			Host: client.Name, At: at, Entry: m.Index + 1,
			Message: fmt.Sprintf("build machine %q is given %s, but host %s is %s and %s: builds for %s sent there fail",
				m.HostName.V, s, b.Name, offers, emul, s),
		}
		rel := Related{Host: b.Name, At: hostFileLoc(b), Message: fmt.Sprintf("host %s is configured here; it needs boot.binfmt.emulatedSystems = [ %q ]", b.Name, s)}
		if !CanEmulate(b.System.V, s) || b.Kind != "nixos" {
			rel.Message = fmt.Sprintf("host %s is configured here; it cannot run %s, not even emulated", b.Name, s)
		}
		if defs := b.Defs["boot.binfmt.emulatedSystems"]; len(defs) > 0 {
			rel.At = defs[0].At
			rel.Message = fmt.Sprintf("host %s emulates %s here", b.Name, quoteList(b.Emulated.V))
		}
		f.Related = append(f.Related, rel)
		if b.System.At.Known() {
			f.Related = append(f.Related, Related{Host: b.Name, At: b.System.At, Message: fmt.Sprintf("host %s is %s", b.Name, b.System.V)})
		}
		if CanEmulate(b.System.V, s) && b.Kind == "nixos" {
			f.Fixes = append(f.Fixes, Fix{Host: b.Name, Kind: "append", Option: "boot.binfmt.emulatedSystems", Values: []string{s},
				Message: fmt.Sprintf("emulate %s on %s", s, b.Name)})
		} else {
			f.Fixes = append(f.Fixes, Fix{Host: client.Name, Kind: "entry-remove", Entry: m.Index, Field: systemsField(m), Values: []string{s},
				Message: fmt.Sprintf("stop sending %s builds to %s", s, b.Name)})
		}
		out = append(out, f)
	})
	return out
}

// systemsField says which field of an entry holds its systems.
func systemsField(m *model.Machine) string {
	if !m.System.Null {
		return "system"
	}
	return "systems"
}
