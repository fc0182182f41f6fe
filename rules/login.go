package rules

import (
	"encoding/base64"
	"path"
	"slices"
	"strings"

	"github.com/nixbuild-lint/nixbuild-lint/model"
)

// Login is how the client's nix-daemon logs in to a build machine: ssh runs
// as root, with no agent, reading root's ssh configuration (SSHBlocks).
// Each part says where it comes from.
type Login struct {
	// Name is the host name Nix gives ssh (the entry's hostName, bare).
	Name string
	User string
	// UserAt is where the user is said (sshUser, a User line, or the
	// entry's hostName when it is root by default).
	UserAt model.Loc
	// HostName is the name ssh connects to (a block's HostName, else Name).
	HostName   string
	HostNameAt model.Loc
	Port       string
	PortAt     model.Loc
	// Identities are the key files ssh offers: sshKey and every
	// IdentityFile of the matching blocks; root's defaults when there is
	// none (ssh tries the defaults only then).
	Identities []Identity
	Default    bool
	// Known is false when root's ssh configuration cannot be read.
	Known bool
}

// Identity is one private key file the login offers.
type Identity struct {
	Path string
	At   model.Loc
	// Pub are the public halves the fleet shows for it (nil: unknown).
	Pub []model.KeyLine
	// Whose says how the public half is known.
	Whose string
}

// rootDefaults are the identities ssh tries for root when none is given.
var rootDefaults = []string{"/root/.ssh/id_rsa", "/root/.ssh/id_ecdsa", "/root/.ssh/id_ed25519"}

// Login models an entry's ssh login.
func (c *Context) Login(client *model.Host, m *model.Machine) Login {
	l := Login{Known: viaSSH(m) && !m.HostName.Unknown && !m.SSHUser.Unknown && !m.SSHKey.Unknown}
	if !l.Known {
		return l
	}
	l.Name = BareHost(m.HostName.V)
	var blocks []model.SSHBlock
	for _, b := range client.SSHBlocks {
		if b.Matches(l.Name) {
			blocks = append(blocks, b)
		}
	}
	first := func(get func(model.SSHBlock) model.Str) (model.Str, bool) {
		for _, b := range blocks {
			if s := get(b); s.V != "" {
				return s, true
			}
		}
		return model.Str{}, false
	}
	u, at, ok := loginUser(client, m)
	l.User, l.UserAt = u, at
	l.Known = ok
	l.HostName, l.HostNameAt = l.Name, m.HostName.At
	if s, ok := first(func(b model.SSHBlock) model.Str { return b.HostName }); ok {
		l.HostName, l.HostNameAt = s.V, s.At
	}
	l.Port, l.PortAt = "22", model.Loc{}
	if s, ok := first(func(b model.SSHBlock) model.Str { return b.Port }); ok {
		l.Port, l.PortAt = s.V, s.At
	}
	if !m.SSHKey.Null && m.SSHKey.V != "" {
		id := Identity{Path: m.SSHKey.V, At: m.SSHKey.At}
		if m.SSHKeyPub.Line != "" {
			id.Pub, id.Whose = []model.KeyLine{m.SSHKeyPub}, "the .pub beside it"
		}
		l.Identities = append(l.Identities, id)
	}
	for _, b := range blocks {
		for _, f := range b.IdentityFiles {
			l.Identities = append(l.Identities, Identity{Path: f.V, At: f.At})
		}
	}
	if len(l.Identities) == 0 {
		l.Default = true
		for _, p := range rootDefaults {
			l.Identities = append(l.Identities, Identity{Path: p})
		}
	}
	for i := range l.Identities {
		id := &l.Identities[i]
		if id.Pub == nil {
			id.Pub, id.Whose = c.publicHalf(client, id.Path)
		}
	}
	if l.Default {
		// Only one default file needs a key: those the fleet shows stand
		// for all of them.
		var pubs []model.KeyLine
		whose := ""
		for _, id := range l.Identities {
			pubs = append(pubs, id.Pub...)
			if id.Whose != "" {
				whose = id.Whose
			}
		}
		l.Identities = []Identity{{Path: "/root/.ssh/id_{rsa,ecdsa,ed25519}", Pub: pubs, Whose: whose}}
		if len(pubs) == 0 {
			l.Identities[0].Pub = nil
		}
	}
	return l
}

// keyTypeOf is the key type a key file's name says (ssh_host_ed25519_key,
// id_ed25519), or "".
func keyTypeOf(p string) string {
	base := path.Base(p)
	switch {
	case strings.Contains(base, "ed25519"):
		return "ssh-ed25519"
	case strings.Contains(base, "ecdsa"):
		return "ecdsa-sha2-"
	case strings.Contains(base, "rsa"):
		return "ssh-rsa"
	}
	return ""
}

func ofType(keys []model.KeyLine, t string) []model.KeyLine {
	var out []model.KeyLine
	for _, k := range keys {
		if t == "" || strings.HasPrefix(model.PublicKeyID(k.Line), t) {
			out = append(out, k)
		}
	}
	return out
}

// publicHalf finds the public key of one of a client's private key files:
// its own host key, which the fleet pins for it (programs.ssh.knownHosts,
// publicHostKey); root's key, which the fleet lists with the comment
// root@<client>.
func (c *Context) publicHalf(client *model.Host, p string) ([]model.KeyLine, string) {
	t := keyTypeOf(p)
	if slices.Contains(client.HostKeyPaths, p) || strings.HasPrefix(p, "/etc/ssh/ssh_host_") {
		if ks := ofType(c.HostKeysOf(client), t); len(ks) > 0 {
			return ks, "the host key of " + client.Name + " the fleet pins"
		}
		return nil, ""
	}
	if strings.HasPrefix(p, "/root/.ssh/id_") {
		if ks := ofType(c.rootKeysOf(client), t); len(ks) > 0 {
			return ks, "the key of root@" + client.Name + " the fleet lists"
		}
	}
	return nil, ""
}

// HostKeysOf are the host public keys the fleet pins for a host: knownHosts
// entries of any host whose names resolve to it, and publicHostKey of
// build machine entries that point at it.
func (c *Context) HostKeysOf(h *model.Host) []model.KeyLine {
	if ks, ok := c.hostKeys[h]; ok {
		return ks
	}
	var out []model.KeyLine
	seen := map[string]bool{}
	add := func(line string, at model.Loc) {
		id := model.PublicKeyID(line)
		if id == "" || seen[id] {
			return
		}
		seen[id] = true
		out = append(out, model.KeyLine{Line: line, At: at})
	}
	for _, x := range c.Fleet.Hosts {
		for _, k := range x.KnownHosts {
			if k.Key.Unknown || k.Key.Null || c.knownHostFor(x, k) != h {
				continue
			}
			add(k.Key.V, k.Key.At)
		}
		for _, m := range knownEntries(x) {
			if m.PublicHostKey.Unknown || m.PublicHostKey.Null || m.PublicHostKey.V == "" {
				continue
			}
			if b, _ := c.Resolve(x, m); b == h {
				if dec, err := base64.StdEncoding.DecodeString(strings.TrimSpace(m.PublicHostKey.V)); err == nil {
					add(string(dec), m.PublicHostKey.At)
				}
			}
		}
	}
	c.hostKeys[h] = out
	return out
}

// knownHostFor is the fleet host a knownHosts entry of x is about (nil if
// none or several).
func (c *Context) knownHostFor(x *model.Host, k model.KnownHost) *model.Host {
	var found *model.Host
	for _, n := range append([]string{k.Name}, k.HostNames...) {
		n = strings.TrimPrefix(n, "[")
		if i := strings.Index(n, "]:"); i >= 0 {
			n = n[:i]
		}
		if strings.ContainsAny(n, "*?!") {
			continue
		}
		h := c.ByName(x, n)
		if h == nil {
			continue
		}
		if found != nil && found != h {
			return nil
		}
		found = h
	}
	return found
}

// rootKeysOf are key lines of the fleet's authorized keys whose comment is
// root@<host> (root's own key, as ssh-keygen names it), host keys aside.
func (c *Context) rootKeysOf(h *model.Host) []model.KeyLine {
	names := map[string]bool{"root@" + h.Name: true}
	if !h.HostName.Unknown && h.HostName.V != "" && h.HostName.At.Known() {
		names["root@"+h.HostName.V] = true
	}
	hostKey := map[string]bool{}
	for _, x := range c.Fleet.Hosts {
		for _, k := range c.HostKeysOf(x) {
			hostKey[model.PublicKeyID(k.Line)] = true
		}
	}
	var out []model.KeyLine
	seen := map[string]bool{}
	for _, x := range c.Fleet.Hosts {
		for _, u := range x.Users {
			for _, k := range userKeys(u) {
				id := model.PublicKeyID(k.Line)
				if id == "" || seen[id] || hostKey[id] || !names[model.KeyComment(k.Line)] {
					continue
				}
				seen[id] = true
				out = append(out, k)
			}
		}
	}
	return out
}

// userKeys are a user's authorized keys: openssh.authorizedKeys.keys and
// the lines of its keyFiles read from the tree.
func userKeys(u *model.User) []model.KeyLine {
	var out []model.KeyLine
	for i, k := range u.AuthorizedKeys.V {
		at := u.AuthorizedKeys.At
		if i < len(u.AuthorizedKeys.Items) {
			at = u.AuthorizedKeys.Items[i]
		}
		out = append(out, model.KeyLine{Line: k, At: at})
	}
	return append(out, u.FileKeys...)
}

// ByName finds the fleet host a name or address reaches from a client:
// a host's attribute name, hostName or hostName.domain, an address or a
// name its configuration gives it, the client's /etc/hosts, a tailnet
// name's first label.
func (c *Context) ByName(client *model.Host, name string) *model.Host {
	if h := pick(c.byKey[name], name); h != nil {
		return h
	}
	if client != nil {
		for _, e := range client.HostsEntries {
			f := strings.Fields(e.Name)
			if len(f) > 1 && slices.Contains(f[1:], name) {
				if h := pick(c.byKey[f[0]], f[0]); h != nil {
					return h
				}
				for _, n := range f[1:] {
					if h := pick(c.byKey[n], n); h != nil {
						return h
					}
				}
			}
		}
	}
	if i := strings.IndexByte(name, '.'); i > 0 && !isIP(name) {
		if h := pick(c.byKey[name[:i]], name[:i]); h != nil {
			return h
		}
	}
	return nil
}
