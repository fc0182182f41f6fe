package rules

import (
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/nixbuild-lint/nixbuild-lint/model"
)

func init() {
	Register(&Rule{
		Name: "client-key-not-authorized", Code: "NBL050", Severity: Error, Fixable: true,
		Title: "The key the client's daemon logs in with is not among the builder user's keys",
		Why: `The nix-daemon runs ssh as root, with no agent: it offers sshKey and the IdentityFile of
root's matching ssh configuration, else root's default keys. When the fleet shows the public
half of that key (the client's own host key pinned in programs.ssh.knownHosts or a keys.nix,
the .pub beside a key file of the tree, a key commented root@<client>) and the builder user's
openssh.authorizedKeys (keys and keyFiles) do not hold it, the login fails with
"Permission denied (publickey)" and Nix skips the builder.`,
		Bad:   "# client pi: sshKey = \"/etc/ssh/ssh_host_ed25519_key\";\n# builder: users.users.nixremote.openssh.authorizedKeys.keys = [ keys.hosts.ci ];",
		Good:  "# builder: users.users.nixremote.openssh.authorizedKeys.keys = [ keys.hosts.ci keys.hosts.pi ];",
		Check: checkClientKey,
	})
	Register(&Rule{
		Name: "host-key-mismatch", Code: "NBL051", Severity: Error,
		Title: "The host key a client pins for a builder is not the one the fleet gives that builder",
		Why: `ssh compares the builder's host key with the one the client pins (publicHostKey, or root's
known hosts from programs.ssh.knownHosts). When the rest of the fleet pins another key of the
same type for the same builder, one of them is stale or a copy: ssh stops with "Host key
verification failed." (or "REMOTE HOST IDENTIFICATION HAS CHANGED") and Nix skips the builder.`,
		Bad:   "# pi: publicHostKey = <base64 of an old key of ritchie>;\n# keys.nix, in every host's knownHosts: ritchie = \"ssh-ed25519 AAAA…new\";",
		Good:  "# pi: publicHostKey = <base64 -w0 of ritchie's current /etc/ssh/ssh_host_ed25519_key.pub>;",
		Check: checkHostKeyMismatch,
	})
	Register(&Rule{
		Name: "ssh-port-mismatch", Code: "NBL052", Severity: Error,
		Title: "The client connects to a port the builder's sshd does not listen on",
		Why: `The daemon's ssh connects to the Port of root's ssh configuration for the builder (22 when none
is set). A builder whose services.openssh.ports (or listenAddresses) are other ports refuses
the connection ("connect to host … port 22: Connection refused"), and Nix skips it.`,
		Bad:   "# client: programs.ssh.extraConfig = \"Host ritchie\\n  Port 2222\\n\";\n# builder: services.openssh.ports = [ 22 ];",
		Good:  "# builder: services.openssh.ports = [ 2222 ];",
		Check: checkSSHPort,
	})
	Register(&Rule{
		Name: "sshd-refuses-user", Code: "NBL053", Severity: Error,
		Title: "The builder's sshd refuses the login user (AllowUsers, AllowGroups, DenyUsers)",
		Why: `sshd checks DenyUsers, AllowUsers, DenyGroups and AllowGroups before any key: a login user not
allowed by them is refused with "Permission denied (publickey)" however right the key is.
Hardening modules set AllowUsers to the admins and forget the build user.`,
		Bad:   "# builder: services.openssh.settings.AllowUsers = [ \"alice\" ];  # client logs in as nixremote",
		Good:  "# builder: services.openssh.settings.AllowUsers = [ \"alice\" \"nixremote\" ];",
		Check: checkSSHDUsers,
	})
}

func keyIDs(ks []model.KeyLine) map[string]bool {
	out := map[string]bool{}
	for _, k := range ks {
		if id := model.PublicKeyID(k.Line); id != "" {
			out[id] = true
		}
	}
	return out
}

// shortKey names a key in a message: its type and the end of its blob,
// with its comment.
func shortKey(line string) string {
	f := model.KeyFields(line)
	if f == nil {
		return "a key"
	}
	blob := f[1]
	if len(blob) > 12 {
		blob = "…" + blob[len(blob)-12:]
	}
	s := f[0] + " " + blob
	if c := model.KeyComment(line); c != "" {
		s += " " + c
	}
	return s
}

// bareKey is the key line without authorized_keys options.
func bareKey(line string) string {
	return strings.Join(model.KeyFields(line), " ")
}

func checkClientKey(c *Context) []Finding {
	var out []Finding
	c.Entries(func(client *model.Host, m *model.Machine, b *model.Host) {
		if !linuxBuilder(client, b, m) {
			return
		}
		l := c.Login(client, m)
		if !l.Known || l.User == "nix-ssh" || (l.User == "root" && b.SSHD.PermitRootLogin.V == "no") {
			return
		}
		user := findUser(b, l.User)
		if user == nil || user.AuthorizedKeys.Unknown || user.KeyFiles.Unknown || user.KeyFilesUnread {
			return
		}
		keys := userKeys(user)
		have := keyIDs(keys)
		if len(have) == 0 {
			return // builder-user-no-authorized-key
		}
		var offered []model.KeyLine
		for _, id := range l.Identities {
			if id.Pub == nil {
				return // a key whose public half the fleet does not show
			}
			offered = append(offered, id.Pub...)
		}
		if len(offered) == 0 {
			return
		}
		for _, k := range offered {
			if have[model.PublicKeyID(k.Line)] {
				return
			}
		}
		id := l.Identities[0]
		at := id.At
		if !at.Known() {
			at = m.HostName.At
		}
		what := fmt.Sprintf("key %s", id.Path)
		if l.Default {
			what = "root's default keys"
		}
		f := Finding{Host: client.Name, At: at, Entry: m.Index + 1,
			Message: fmt.Sprintf("build machine %q logs in to host %s as %s with %s (%s: %s), which host %s does not authorize for %s: \"Permission denied (publickey)\"; add it to users.users.%s.openssh.authorizedKeys.keys",
				m.HostName.V, b.Name, l.User, what, id.Whose, shortKey(offered[0].Line), b.Name, l.User, l.User)}
		rel := Related{Host: b.Name, At: user.At, Message: fmt.Sprintf("the keys of %s on %s", l.User, b.Name)}
		if user.AuthorizedKeys.At.Known() {
			rel.At = user.AuthorizedKeys.At
		} else if len(user.FileKeys) > 0 {
			rel.At = user.FileKeys[0].At
		}
		f.Related = append(f.Related, rel)
		if offered[0].At.Known() {
			f.Related = append(f.Related, Related{Host: client.Name, At: offered[0].At, Message: "the public half of the key the client offers"})
		}
		f.Fixes = append(f.Fixes, Fix{Host: b.Name, Kind: "append", Option: "users.users." + l.User + ".openssh.authorizedKeys.keys",
			Values: []string{bareKey(offered[0].Line)}, Message: fmt.Sprintf("authorize %s's key for %s on %s", client.Name, l.User, b.Name),
			KeyAt: offered[0].At, Items: user.AuthorizedKeys.Items})
		out = append(out, f)
	})
	return out
}

// pin is a host key the fleet pins for a host.
type pin struct {
	by   *model.Host
	line string
	at   model.Loc
	what string
	// kh: a known_hosts pin (programs.ssh.knownHosts or a known_hosts
	// line), not a build machine entry's publicHostKey.
	kh bool
}

// pinsOf lists every host key pin of the fleet, with the host it is for.
func (c *Context) pins() map[*model.Host][]pin {
	out := map[*model.Host][]pin{}
	for _, x := range c.Fleet.Hosts {
		for _, k := range x.KnownHosts {
			if k.Key.Unknown || k.Key.Null || model.PublicKeyID(k.Key.V) == "" {
				continue
			}
			if h := c.knownHostFor(x, k); h != nil {
				out[h] = append(out[h], pin{x, k.Key.V, k.Key.At, k.What(), true})
			}
		}
		for _, m := range knownEntries(x) {
			k := m.PublicHostKey
			if k.Unknown || k.Null || HostKeyProblem(k.V) != "" {
				continue
			}
			dec, _ := base64.StdEncoding.DecodeString(strings.TrimSpace(k.V))
			if h, _ := c.Resolve(x, m); h != nil {
				out[h] = append(out[h], pin{x, string(dec), k.At, fmt.Sprintf("the publicHostKey of build machine %q", m.HostName.V), false})
			}
		}
	}
	return out
}

func keyType(line string) string {
	if f := model.KeyFields(line); f != nil {
		return f[0]
	}
	return ""
}

func checkHostKeyMismatch(c *Context) []Finding {
	var out []Finding
	all := c.pins()
	for _, b := range c.Fleet.Hosts {
		ps := all[b]
		for i, p := range ps {
			// The others of the same type, from other hosts' pins or a
			// knownHosts entry, agree on one key this pin is not.
			others := map[string]pin{}
			for j, q := range ps {
				if j == i || keyType(q.line) != keyType(p.line) || (q.by == p.by && !q.kh) {
					continue
				}
				others[model.PublicKeyID(q.line)] = q
			}
			if len(others) != 1 {
				continue
			}
			var q pin
			for _, v := range others {
				q = v
			}
			if model.PublicKeyID(q.line) == model.PublicKeyID(p.line) {
				continue
			}
			// Report the pin that only one host makes, against a key
			// pinned by more hosts (or a knownHosts entry, when a
			// publicHostKey disagrees with it).
			nq, np := 0, 0
			for _, r := range ps {
				switch model.PublicKeyID(r.line) {
				case model.PublicKeyID(q.line):
					nq++
				case model.PublicKeyID(p.line):
					np++
				}
			}
			if np > nq || (np == nq && p.kh) {
				continue
			}
			out = append(out, Finding{Host: p.by.Name, At: p.at,
				Message: fmt.Sprintf("%s pins %s for host %s, but the fleet gives %s another %s host key (%s): ssh stops with \"Host key verification failed.\"",
					p.what, shortKey(p.line), b.Name, b.Name, keyType(p.line), shortKey(q.line)),
				Related: []Related{{Host: q.by.Name, At: q.at, Message: fmt.Sprintf("%s pins the other key here", q.what)}}})
		}
	}
	return out
}

// sshdPorts are the ports a builder's sshd listens on (known false when
// they cannot be known).
func sshdPorts(b *model.Host) ([]string, bool) {
	if b.SSHD.Ports.Unknown || b.SSHD.ListenPorts.Unknown {
		return nil, false
	}
	return append(append([]string{}, b.SSHD.Ports.V...), b.SSHD.ListenPorts.V...), true
}

func checkSSHPort(c *Context) []Finding {
	var out []Finding
	c.Entries(func(client *model.Host, m *model.Machine, b *model.Host) {
		if !linuxBuilder(client, b, m) || b.SSHD.Enable.Unknown || !b.SSHD.Enable.V {
			return
		}
		l := c.Login(client, m)
		ports, ok := sshdPorts(b)
		if !l.Known || client.SSHConfigUnknown || !ok || len(ports) == 0 {
			return
		}
		if l.HostName != l.Name && c.ByName(client, l.HostName) != b {
			return // a HostName outside the fleet's names may forward the port (NAT, a jump host)
		}
		for _, p := range ports {
			if p == l.Port {
				return
			}
		}
		at := l.PortAt
		how := fmt.Sprintf("port %s (root's ssh configuration)", l.Port)
		if !at.Known() {
			at, how = m.HostName.At, "port 22 (root's ssh configuration sets no Port for it)"
		}
		rel := Related{Host: b.Name, At: b.SSHD.Ports.At, Message: fmt.Sprintf("sshd on %s listens on %s", b.Name, strings.Join(ports, ", "))}
		if !rel.At.Known() {
			rel.At = b.SSHD.ListenPorts.At
		}
		if !rel.At.Known() {
			rel.At = hostFileLoc(b)
		}
		out = append(out, Finding{Host: client.Name, At: at, Entry: m.Index + 1,
			Message: fmt.Sprintf("build machine %q connects to host %s on %s, but its sshd listens on %s: \"Connection refused\"", m.HostName.V, b.Name, how, strings.Join(ports, ", ")),
			Related: []Related{rel}})
	})
	return out
}

// userPattern matches an AllowUsers/DenyUsers pattern (USER or USER@HOST)
// against a user; a pattern with a host part matches the user part only.
func userPattern(p, user string) bool {
	if i := strings.IndexByte(p, '@'); i >= 0 {
		p = p[:i]
	}
	return model.GlobMatch(p, user)
}

func anyMatch(ps []string, names ...string) (string, bool) {
	for _, p := range ps {
		for _, n := range names {
			if model.GlobMatch(p, n) {
				return p, true
			}
		}
	}
	return "", false
}

func checkSSHDUsers(c *Context) []Finding {
	var out []Finding
	c.Entries(func(client *model.Host, m *model.Machine, b *model.Host) {
		if !linuxBuilder(client, b, m) {
			return
		}
		l := c.Login(client, m)
		if !l.Known {
			return
		}
		s := b.SSHD
		var why string
		var at model.Loc
		groups, groupsKnown := []string{}, true
		if u := findUser(b, l.User); u != nil {
			groupsKnown = !u.Group.Unknown && !u.ExtraGroups.Unknown
			groups = append(append(groups, u.Group.V), u.ExtraGroups.V...)
		} else if l.User == "root" {
			groups = []string{"root"}
		} else {
			groupsKnown = false
		}
		switch {
		case s.DenyUsers.V != nil && !s.DenyUsers.Unknown && func() bool {
			for _, p := range s.DenyUsers.V {
				if userPattern(p, l.User) {
					return true
				}
			}
			return false
		}():
			why, at = fmt.Sprintf("DenyUsers holds %s", l.User), s.DenyUsers.At
		case s.AllowUsers.V != nil && !s.AllowUsers.Unknown && len(s.AllowUsers.V) > 0 && func() bool {
			for _, p := range s.AllowUsers.V {
				if userPattern(p, l.User) {
					return false
				}
			}
			return true
		}():
			why, at = fmt.Sprintf("AllowUsers (%s) does not hold %s", strings.Join(s.AllowUsers.V, ", "), l.User), s.AllowUsers.At
		case groupsKnown && s.DenyGroups.V != nil && !s.DenyGroups.Unknown:
			if g, ok := anyMatch(s.DenyGroups.V, groups...); ok {
				why, at = fmt.Sprintf("DenyGroups holds %s's group %s", l.User, g), s.DenyGroups.At
			}
		}
		if why == "" && groupsKnown && s.AllowGroups.V != nil && !s.AllowGroups.Unknown && len(s.AllowGroups.V) > 0 {
			if _, ok := anyMatch(s.AllowGroups.V, groups...); !ok {
				why, at = fmt.Sprintf("AllowGroups (%s) holds none of %s's groups (%s)", strings.Join(s.AllowGroups.V, ", "), l.User, strings.Join(groups, ", ")), s.AllowGroups.At
			}
		}
		if why == "" {
			return
		}
		if !at.Known() {
			at = hostFileLoc(b)
		}
		out = append(out, Finding{Host: client.Name, At: l.UserAt, Entry: m.Index + 1,
			Message: fmt.Sprintf("build machine %q logs in as %s, whom the sshd of host %s refuses: %s (\"Permission denied (publickey)\")", m.HostName.V, l.User, b.Name, why),
			Related: []Related{{Host: b.Name, At: at, Message: "sshd's users are restricted here"}}})
	})
	return out
}
