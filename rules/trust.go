package rules

import (
	"fmt"
	"strings"

	"github.com/nixbuild-lint/nixbuild-lint/model"
)

func init() {
	Register(&Rule{
		Name: "untrusted-builder-user", Code: "NBL006", Severity: Error, Fixable: true,
		Title: "A build machine logs in as a user its host does not trust",
		Why: `Builds are copied to the builder unsigned. The builder's daemon accepts unsigned paths and
input-addressed builds only from trusted users (nix.settings.trusted-users; root always).
Otherwise: "cannot add path '…' because it lacks a signature by a trusted key" or "you are not
privileged to build input-addressed derivations". Trusting a user is close to giving it root;
the alternative is signing (secret-key-files on the client, trusted-public-keys on the builder).`,
		Bad: `# client
nix.buildMachines = [ { hostName = "builder"; sshUser = "nixremote"; systems = [ "x86_64-linux" ]; } ];
# builder: nixremote exists but is not trusted`,
		Good: `# builder
nix.settings.trusted-users = [ "nixremote" ];`,
		Check: checkTrust,
	})
	Register(&Rule{
		Name: "distributed-builds-disabled", Code: "NBL007", Severity: Error, Fixable: true,
		Title: "Build machines are listed but distributed builds are off",
		Why: `NixOS writes /etc/nix/machines from nix.buildMachines, but unless nix.distributedBuilds is
true it also sets builders to empty, so the daemon never uses them. Builds silently run
locally; with max-jobs = 0 they fail with "unable to start any build". NixOS gives no warning.
It is an error when no module sets nix.distributedBuilds (the fix sets it to true). A host that
sets it to false itself (often lib.mkForce false on a builder that imports the fleet's shared
client module) means it: that is reported as info, and its entries are not checked at all,
unless its max-jobs is 0 too (then it builds nothing, an error).`,
		Bad:   `nix.buildMachines = [ { hostName = "builder"; systems = [ "x86_64-linux" ]; } ];`,
		Good:  "nix.distributedBuilds = true;\nnix.buildMachines = [ { hostName = \"builder\"; systems = [ \"x86_64-linux\" ]; } ];",
		Check: checkDistributed,
	})
	Register(&Rule{
		Name: "ssh-key-in-store", Code: "NBL009", Severity: Error,
		Title: "A build machine's private ssh key is put into the Nix store",
		Why: `sshKey = ./id_builder (a path) or "${./id_builder}" copies the private key into /nix/store,
which every user of every machine the closure reaches (and every cache it is pushed to) can
read. Moving it is not enough: the key has been exposed and must be rotated (a new key pair,
the old public key removed from the builder's authorized keys). sshKey must then be a string
naming a root-only file outside the store, e.g. "/root/.ssh/nixremote", or a secret manager's
path.`,
		Bad:   `sshKey = ./secrets/id_builder;`,
		Good:  `sshKey = "/root/.ssh/id_builder";`,
		Check: checkKeyInStore,
	})
}

// trusts reports whether builder b trusts user u, and whether it can know.
func trusts(b *model.Host, u string) (trusted, known bool) {
	if u == "root" {
		return true, true
	}
	if b.Trusted.Unknown {
		return false, false
	}
	var user *model.User
	for _, x := range b.Users {
		if x.Name == u {
			user = x
		}
	}
	for _, t := range b.Trusted.V {
		if t == u || t == "*" {
			return true, true
		}
		if g, ok := strings.CutPrefix(t, "@"); ok && user != nil {
			if user.Group.Unknown || user.ExtraGroups.Unknown {
				return false, false
			}
			if user.Group.V == g || user.ExtraGroups.Has(g) {
				return true, true
			}
		}
	}
	return false, true
}

func checkTrust(c *Context) []Finding {
	var out []Finding
	c.Entries(func(client *model.Host, m *model.Machine, b *model.Host) {
		u, at, ok := loginUser(client, m)
		if b == nil || b == client || !ok || u == "root" {
			return
		}
		if ok, known := trusts(b, u); ok || !known {
			return
		}
		f := Finding{Host: client.Name, At: at, Entry: m.Index + 1,
			Message: fmt.Sprintf("build machine %q logs in as %s, whom host %s does not trust (trusted-users: %s): unsigned inputs are refused with \"lacks a signature by a trusted key\"",
				m.HostName.V, u, b.Name, quoteList(b.Trusted.V))}
		rel := Related{Host: b.Name, At: hostFileLoc(b), Message: fmt.Sprintf("host %s keeps the default trusted-users", b.Name)}
		if defs := b.Defs["nix.settings.trusted-users"]; len(defs) > 0 {
			rel = Related{Host: b.Name, At: defs[0].At, Message: fmt.Sprintf("host %s sets trusted-users here", b.Name)}
		}
		f.Related = append(f.Related, rel)
		f.Fixes = append(f.Fixes, Fix{Host: b.Name, Kind: "append", Option: "nix.settings.trusted-users", Values: []string{u},
			Message: fmt.Sprintf("trust %s on %s", u, b.Name)})
		out = append(out, f)
	})
	return out
}

func checkDistributed(c *Context) []Finding {
	var out []Finding
	for _, h := range c.Fleet.Hosts {
		if h.Machines.Unknown || len(h.Machines.Entries) == 0 || h.Distribute.Unknown || h.Distribute.V {
			continue
		}
		at := h.Machines.At
		if !at.Known() && len(h.Machines.Entries) > 0 {
			at = h.Machines.Entries[0].At
		}
		if BuildsOffOnPurpose(h) {
			// Set false on purpose (a builder over the fleet's shared client
			// module): the list is simply not used. Only with max-jobs = 0
			// does that stop every build.
			f := Finding{Host: h.Name, At: at, Advice: true,
				Message: fmt.Sprintf("host %s lists %d build machine(s) but turns nix.distributedBuilds off: its daemon never uses them, and they are not checked for it", h.Name, len(h.Machines.Entries))}
			if !h.MaxJobs.Unknown && h.MaxJobs.V == "0" {
				f.Advice = false
				f.Message = fmt.Sprintf("host %s turns nix.distributedBuilds off and has max-jobs = 0: it builds nothing, neither locally nor on its %d build machine(s) (\"unable to start any build\")", h.Name, len(h.Machines.Entries))
			}
			if h.Distribute.At.Known() {
				f.Related = append(f.Related, Related{Host: h.Name, At: h.Distribute.At, Message: "distributed builds are turned off here"})
			}
			out = append(out, f)
			continue
		}
		f := Finding{Host: h.Name, At: at,
			Message: fmt.Sprintf("host %s lists %d build machine(s) but never sets nix.distributedBuilds = true (NixOS's default is false): the daemon never uses them", h.Name, len(h.Machines.Entries))}
		f.Fixes = append(f.Fixes, Fix{Host: h.Name, Kind: "set", Option: "nix.distributedBuilds", Values: []string{"true"},
			Message: fmt.Sprintf("turn on distributed builds on %s", h.Name)})
		out = append(out, f)
	}
	return out
}

func checkKeyInStore(c *Context) []Finding {
	var out []Finding
	for _, h := range c.Fleet.Hosts {
		if h.Machines.Unknown {
			continue
		}
		for _, m := range h.Machines.Entries {
			if m.Unknown || m.SSHKey.Unknown || m.SSHKey.Null {
				continue
			}
			if !m.SSHKeyIsPath && !strings.HasPrefix(m.SSHKey.V, "/nix/store/") {
				continue
			}
			out = append(out, Finding{Host: h.Name, At: m.SSHKey.At, Entry: m.Index + 1,
				Message: keyInStoreMessage(m)})
		}
	}
	return out
}

func keyInStoreMessage(m *model.Machine) string {
	key := "the private key"
	if m.SSHKeyFile != "" {
		key = "the private key " + m.SSHKeyFile
	}
	return fmt.Sprintf("build machine %q's sshKey copies %s into the Nix store, where every user of every machine this closure reaches (and every cache it is pushed to) can read it: rotate the key (a new key pair, the old public key removed from the builder), then give sshKey as a string naming a root-only file outside the store", m.HostName.V, key)
}
