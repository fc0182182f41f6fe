package model

import (
	"sort"
	"strings"
)

// SSHBlock is one Host block of root's ssh client configuration, which the
// daemon's ssh reads: root's ~/.ssh/config (home-manager's
// programs.ssh.matchBlocks and extraConfig for root) first, then
// /etc/ssh/ssh_config (programs.ssh.extraConfig, or an
// environment.etc."ssh/ssh_config" the fleet writes). ssh takes the first
// value of each option from the blocks that match, in that order, and
// collects every IdentityFile.
type SSHBlock struct {
	// Patterns are the Host patterns ("*", "!name", "a?c" are ssh's).
	Patterns []string `json:"patterns"`
	// Source is the option the block is written in.
	Source        string `json:"source"`
	At            Loc    `json:"loc"`
	User          Str    `json:"user,omitzero"`
	HostName      Str    `json:"hostName,omitzero"`
	Port          Str    `json:"port,omitzero"`
	IdentityFiles []Str  `json:"identityFiles,omitempty"`
}

// Matches reports whether ssh applies the block to the host name given on
// its command line: one pattern matches and no negated one does.
func (b SSHBlock) Matches(host string) bool {
	ok := false
	for _, p := range b.Patterns {
		if neg, found := strings.CutPrefix(p, "!"); found {
			if GlobMatch(neg, host) {
				return false
			}
			continue
		}
		if GlobMatch(p, host) {
			ok = true
		}
	}
	return ok
}

// GlobMatch is ssh's pattern match: * any run, ? one character.
func GlobMatch(p, s string) bool {
	for len(p) > 0 {
		switch p[0] {
		case '*':
			for i := len(s); i >= 0; i-- {
				if GlobMatch(p[1:], s[i:]) {
					return true
				}
			}
			return false
		case '?':
			if s == "" {
				return false
			}
			p, s = p[1:], s[1:]
		default:
			if s == "" || !strings.EqualFold(p[:1], s[:1]) {
				return false
			}
			p, s = p[1:], s[1:]
		}
	}
	return s == ""
}

// ParseSSHConfig reads the Host blocks of an ssh_config text. at is where
// the text starts; each block's place is its Host line (line numbers
// counted from at when at is known). Options before the first Host line
// apply to every host (a Host * block); Match blocks are skipped.
func ParseSSHConfig(text, source string, at Loc) []SSHBlock {
	return ParseSSHConfigAt(text, source, func(i int) Loc {
		if !at.Known() {
			return at
		}
		return Loc{File: at.File, Line: at.Line + i, Column: 1}
	})
}

// ParseSSHConfigAt is ParseSSHConfig with the place of each line of text
// (0-based) given by lineLoc.
func ParseSSHConfigAt(text, source string, lineLoc func(i int) Loc) []SSHBlock {
	var out []SSHBlock
	cur := -1
	for i, raw := range strings.Split(text, "\n") {
		line := strings.TrimSpace(raw)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, val := line, ""
		if j := strings.IndexAny(line, " \t="); j >= 0 {
			key, val = line[:j], strings.TrimSpace(strings.TrimLeft(line[j:], " \t="))
		}
		val = strings.Trim(val, `"`)
		switch strings.ToLower(key) {
		case "host":
			out = append(out, SSHBlock{Patterns: strings.Fields(val), Source: source, At: lineLoc(i)})
			cur = len(out) - 1
			continue
		case "match":
			out = append(out, SSHBlock{Source: source, At: lineLoc(i)}) // matches nothing the model knows
			cur = len(out) - 1
			continue
		}
		if cur < 0 {
			out = append(out, SSHBlock{Patterns: []string{"*"}, Source: source, At: lineLoc(i)})
			cur = 0
		}
		b := &out[cur]
		v := Str{V: val, At: lineLoc(i)}
		switch strings.ToLower(key) {
		case "user":
			if b.User.V == "" {
				b.User = v
			}
		case "hostname":
			if b.HostName.V == "" {
				b.HostName = v
			}
		case "port":
			if b.Port.V == "" {
				b.Port = v
			}
		case "identityfile":
			b.IdentityFiles = append(b.IdentityFiles, v)
		}
	}
	return out
}

// KnownHost is programs.ssh.knownHosts.<name>: the host key root's ssh
// accepts for the names of hostNames (the attribute name when hostNames
// is not set).
type KnownHost struct {
	Name      string   `json:"name"`
	HostNames []string `json:"hostNames"`
	// Key is publicKey, or the first key line of publicKeyFile when that
	// file is in the tree.
	Key Str `json:"publicKey"`
	At  Loc `json:"loc"`
	// From is the known_hosts file the line comes from when it is not a
	// programs.ssh.knownHosts entry (a known_hosts text or file the fleet
	// writes for root); Name is then the line's first host name.
	From string `json:"from,omitempty"`
}

// What names the pin in a message.
func (k KnownHost) What() string {
	if k.From == "" {
		return "programs.ssh.knownHosts." + k.Name
	}
	return "the line for " + k.Name + " in " + k.From
}

// MergeKnownHosts adds the written known_hosts lines to the knownHosts
// entries, without a line that repeats an entry (same key, a name in
// common: NixOS writes its knownHosts into /etc/ssh/ssh_known_hosts).
func MergeKnownHosts(kh, written []KnownHost) []KnownHost {
	out := kh
	for _, w := range written {
		dup := false
		for _, k := range kh {
			if PublicKeyID(k.Key.V) != PublicKeyID(w.Key.V) {
				continue
			}
			for _, n := range append([]string{k.Name}, k.HostNames...) {
				for _, m := range w.HostNames {
					dup = dup || n == m
				}
			}
		}
		if !dup {
			out = append(out, w)
		}
	}
	return out
}

// ParseKnownHosts reads the lines of a known_hosts text: host names
// (comma-separated, [name]:port allowed), key type, key. Hashed names
// (|1|…) and @cert-authority / @revoked lines pin no key of a host and are
// skipped. loc gives the place of line i (0-based) of the text.
func ParseKnownHosts(text, from string, loc func(i int) Loc) []KnownHost {
	var out []KnownHost
	for i, l := range strings.Split(text, "\n") {
		f := strings.Fields(l)
		if len(f) < 3 || strings.HasPrefix(f[0], "#") || strings.HasPrefix(f[0], "@") {
			continue
		}
		var names []string
		for _, n := range strings.Split(f[0], ",") {
			if n != "" && !strings.HasPrefix(n, "|") {
				names = append(names, n)
			}
		}
		key := strings.Join(f[1:], " ")
		if len(names) == 0 || PublicKeyID(key) == "" {
			continue
		}
		at := loc(i)
		out = append(out, KnownHost{Name: names[0], HostNames: names, Key: Str{V: key, At: at}, At: at, From: from})
	}
	return out
}

// KeyLine is one public key line of an authorized keys file or option.
type KeyLine struct {
	Line string `json:"line"`
	At   Loc    `json:"loc"`
}

// Addr is a name or address the fleet says a host answers to.
type Addr struct {
	Name string `json:"name"`
	// From is the option that says so.
	From string `json:"from"`
	At   Loc    `json:"loc"`
}

// PublicKeyID is what identifies an ssh public key: "type blob", from a key
// line that may carry authorized_keys options before it and a comment after
// it, or "" when the line holds no key.
func PublicKeyID(line string) string {
	f := KeyFields(line)
	if f == nil {
		return ""
	}
	return f[0] + " " + f[1]
}

// KeyComment is the comment of a public key line ("" if none).
func KeyComment(line string) string {
	f := KeyFields(line)
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[2:], " ")
}

// KeyFields splits a public key line into type, blob and comment words,
// skipping authorized_keys options (restrict,command="…" with quoted
// spaces); nil when no key type is found.
func KeyFields(line string) []string {
	var words []string
	var cur strings.Builder
	quoted := false
	for _, r := range strings.TrimSpace(line) {
		switch {
		case r == '"':
			quoted = !quoted
			cur.WriteRune(r)
		case (r == ' ' || r == '\t') && !quoted:
			if cur.Len() > 0 {
				words = append(words, cur.String())
				cur.Reset()
			}
		default:
			cur.WriteRune(r)
		}
	}
	if cur.Len() > 0 {
		words = append(words, cur.String())
	}
	for i, w := range words {
		if isKeyType(w) && i+1 < len(words) && strings.HasPrefix(words[i+1], "AAAA") {
			return words[i:]
		}
	}
	return nil
}

func isKeyType(w string) bool {
	return strings.HasPrefix(w, "ssh-") || strings.HasPrefix(w, "ecdsa-sha2-") || strings.HasPrefix(w, "sk-")
}

// MatchBlock is a home-manager programs.ssh.matchBlocks entry as the block
// home-manager writes into ~/.ssh/config: Host <host> (the attribute name
// when host is not set).
func MatchBlock(name, host string, at Loc, user, hostName, port Str, ids []Str) SSHBlock {
	if host == "" {
		host = name
	}
	return SSHBlock{Patterns: strings.Fields(host), Source: "home-manager.users.root.programs.ssh.matchBlocks." + name,
		At: at, User: user, HostName: hostName, Port: port, IdentityFiles: ids}
}

// SameBlocks reports whether two readings of root's ssh configuration say
// the same, places aside.
func SameBlocks(a, b []SSHBlock) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if strings.Join(x.Patterns, " ") != strings.Join(y.Patterns, " ") || x.Source != y.Source ||
			x.User.V != y.User.V || x.HostName.V != y.HostName.V || x.Port.V != y.Port.V || len(x.IdentityFiles) != len(y.IdentityFiles) {
			return false
		}
		for j := range x.IdentityFiles {
			if x.IdentityFiles[j].V != y.IdentityFiles[j].V {
				return false
			}
		}
	}
	return true
}

// KeyLines splits the text of an authorized keys file into its key lines,
// each at its line of file (comments and blank lines skipped).
func KeyLines(text, file string) []KeyLine {
	var out []KeyLine
	for i, l := range strings.Split(text, "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		out = append(out, KeyLine{Line: l, At: Loc{File: file, Line: i + 1, Column: 1}})
	}
	return out
}

// AddAddr adds a name or address to a host's list once; an address with a
// prefix length (10.0.0.2/24) is the address. A served name (a virtual
// host, a certificate) with a wildcard, a port or a path is no name.
func AddAddr(out []Addr, name, from string, at Loc, served bool) []Addr {
	if served && strings.ContainsAny(name, "*:/ ") {
		return out
	}
	if i := strings.IndexByte(name, '/'); i >= 0 {
		name = name[:i]
	}
	if name == "" {
		return out
	}
	for _, a := range out {
		if a.Name == name {
			return out
		}
	}
	return append(out, Addr{Name: name, From: from, At: at})
}

// ParseExtraHosts reads networking.extraHosts lines ("address name…").
func ParseExtraHosts(text string, at Loc) []Addr {
	var out []Addr
	for j, line := range strings.Split(text, "\n") {
		if k := strings.IndexByte(line, '#'); k >= 0 {
			line = line[:k]
		}
		if f := strings.Fields(line); len(f) >= 2 {
			l := at
			if l.Known() {
				l.Line += j
			}
			out = append(out, Addr{Name: strings.Join(f, " "), From: "networking.extraHosts", At: l})
		}
	}
	return out
}

// SettingsOrder orders home-manager's programs.ssh.settings names as the
// blocks are written: named hosts first (by name), then patterns with a
// wildcard (Host * last of all).
func SettingsOrder(names []string) []string {
	var plain, wild []string
	for _, n := range names {
		if strings.ContainsAny(n, "*?") {
			wild = append(wild, n)
		} else {
			plain = append(plain, n)
		}
	}
	sort.Strings(plain)
	sort.SliceStable(wild, func(i, j int) bool {
		if (wild[i] == "*") != (wild[j] == "*") {
			return wild[j] == "*"
		}
		return wild[i] < wild[j]
	})
	return append(plain, wild...)
}

// Nebula is services.nebula.networks.<network> of a host: whether it is a
// lighthouse of that network, and the lighthouses' nebula addresses with
// their public addresses (staticHostMap) as the host writes them. A
// host's own nebula address is in its certificate, which the fleet does
// not show.
type Nebula struct {
	Network       string              `json:"network"`
	Lighthouse    bool                `json:"isLighthouse,omitempty"`
	Lighthouses   []string            `json:"lighthouses,omitempty"`
	StaticHostMap map[string][]string `json:"staticHostMap,omitempty"`
}

// NebulaLighthouses gives, for each nebula network of the fleet with
// exactly one lighthouse host and exactly one lighthouse address in every
// host's lighthouses list, that address and its staticHostMap public
// addresses (port and brackets taken off) as names of the lighthouse host.
func NebulaLighthouses(hosts []*Host) map[*Host][]string {
	type net struct {
		lh  []*Host
		ips map[string]bool
		pub map[string][]string
	}
	nets := map[string]*net{}
	var order []string
	for _, h := range hosts {
		for _, n := range h.Nebula {
			x := nets[n.Network]
			if x == nil {
				x = &net{ips: map[string]bool{}, pub: map[string][]string{}}
				nets[n.Network] = x
				order = append(order, n.Network)
			}
			if n.Lighthouse {
				x.lh = append(x.lh, h)
			}
			for _, ip := range n.Lighthouses {
				x.ips[ip] = true
			}
			for ip, addrs := range n.StaticHostMap {
				x.pub[ip] = append(x.pub[ip], addrs...)
			}
		}
	}
	out := map[*Host][]string{}
	for _, name := range order {
		x := nets[name]
		if len(x.lh) != 1 || len(x.ips) != 1 {
			continue
		}
		for ip := range x.ips {
			out[x.lh[0]] = append(out[x.lh[0]], ip)
			for _, a := range x.pub[ip] {
				if i := strings.LastIndexByte(a, ':'); i > 0 && (a[0] == '[' || strings.Count(a, ":") == 1) {
					a = a[:i]
				}
				a = strings.TrimSuffix(strings.TrimPrefix(a, "["), "]")
				if a != "" {
					out[x.lh[0]] = append(out[x.lh[0]], a)
				}
			}
		}
	}
	return out
}
