package extract

import (
	"os"
	"sort"
	"strings"

	"github.com/nixbuild-lint/nixbuild-lint/model"
	"github.com/nixbuild-lint/nixbuild-lint/nixeval/lang"
	"github.com/nixbuild-lint/nixbuild-lint/nixeval/modsys"
)

// textLoc is where the text of a string value starts: the line after an
// indented string's opening ” when the text begins there.
func textLoc(s *lang.Str, r modsys.OptionResult) model.Loc {
	at := model.Loc{}
	if len(r.Winners) > 0 {
		at = valueLoc(s, r.Winners[0].T, r.Winners[0].Bind)
	}
	if s.At.Valid() && !s.At.Src.Internal {
		at = s.At.Loc()
		data := s.At.Src.Data
		if i := s.At.Start; i+2 <= len(data) && string(data[i:i+2]) == "''" {
			j := i + 2
			for j < len(data) && (data[j] == ' ' || data[j] == '\t') {
				j++
			}
			if j < len(data) && data[j] == '\n' {
				at.Line++
			}
		}
	}
	return model.Loc{File: at.File, Line: at.Line, Column: 1}
}

// parseAt parses an ssh_config text whose first line is at at, each line's
// column that of its first word in the file (indented strings strip
// the indentation from the text).
func (h *host) parseAt(text, source string, at model.Loc) []model.SSHBlock {
	var src *lang.Source
	for _, f := range h.Files() {
		if f.Rel == at.File {
			src = f
		}
	}
	return model.ParseSSHConfigAt(text, source, func(i int) model.Loc {
		if !at.Known() {
			return at
		}
		l := model.Loc{File: at.File, Line: at.Line + i, Column: 1}
		if src != nil {
			lines := strings.Split(string(src.Data), "\n")
			if l.Line-1 < len(lines) {
				t := lines[l.Line-1]
				l.Column = 1 + len(t) - len(strings.TrimLeft(t, " \t"))
			}
		}
		return l
	})
}

// parseLines parses the merged text of a types.lines option (its
// definitions joined by newlines, as NixOS writes the file), each line at
// its place.
func (h *host) parseLines(texts []string, locs []model.Loc, source string) []model.SSHBlock {
	if len(texts) == 0 {
		return nil
	}
	var lineLocs []model.Loc
	for i, t := range texts {
		for j := range strings.Split(t, "\n") {
			l := model.Loc{}
			if locs[i].Known() {
				l = model.Loc{File: locs[i].File, Line: locs[i].Line + j, Column: 1}
			}
			lineLocs = append(lineLocs, l)
		}
	}
	return model.ParseSSHConfigAt(strings.Join(texts, "\n"), source, func(i int) model.Loc {
		if i >= len(lineLocs) || !lineLocs[i].Known() {
			return model.Loc{}
		}
		return h.column(lineLocs[i])
	})
}

// column sets a line's column to that of its first word in the file.
func (h *host) column(l model.Loc) model.Loc {
	for _, f := range h.Files() {
		if f.Rel == l.File {
			lines := strings.Split(string(f.Data), "\n")
			if l.Line-1 < len(lines) {
				t := lines[l.Line-1]
				l.Column = 1 + len(t) - len(strings.TrimLeft(t, " \t"))
			}
		}
	}
	return l
}

// linesText reads a types.lines option as its definitions, each with the
// place its text starts (NixOS joins them with newlines).
func (h *host) linesText(path string) (texts []string, locs []model.Loc, known bool) {
	return h.linesTextP(split(path))
}

func (h *host) linesTextP(path []string) (texts []string, locs []model.Loc, known bool) {
	r := h.Option(path)
	if len(r.All) == 0 {
		return nil, nil, true
	}
	if _, ok := r.V.(*lang.Str); !ok {
		return nil, nil, false
	}
	for _, w := range r.Winners {
		s, ok := h.Ev.Force(w.T).(*lang.Str)
		if !ok {
			return nil, nil, false
		}
		texts = append(texts, s.S)
		locs = append(locs, textLoc(s, modsys.OptionResult{Winners: []modsys.Leaf{w}}))
	}
	return texts, locs, true
}

// attrNames lists the names of a set option, ok false when they cannot be
// known.
func (h *host) attrNames(path string) ([]string, bool) { return h.attrNamesP(split(path)) }

func (h *host) attrNamesP(path []string) ([]string, bool) {
	names, ok := h.Names(path)
	sort.Strings(names)
	return names, ok
}

// sshBlocks reads root's ssh client configuration in the order ssh reads
// it: root's home-manager ~/.ssh/config, then /etc/ssh/ssh_config.
func (h *host) sshBlocks() (out []model.SSHBlock, known bool) {
	known = true
	if len(h.Leaves(split("home-manager.users.root"))) > 0 {
		// root's home-manager configuration, evaluated as home-manager
		// does: a submodule of its own (a set, a module function, an
		// import of a file).
		hm := &host{h.Submodule(split("home-manager.users.root"), lang.ValThunk(&lang.List{}), nil)}
		blocks, ok := hm.hmBlocks()
		known = ok && len(hm.Unread()) == 0
		out = append(out, blocks...)
	}
	etc := "environment.etc.ssh/ssh_config.text"
	if len(h.Leaves(split("environment.etc"))) > 0 && len(h.Leaves([]string{"environment", "etc", "ssh/ssh_config", "text"})) > 0 {
		r := h.Option([]string{"environment", "etc", "ssh/ssh_config", "text"})
		s, ok := r.V.(*lang.Str)
		if !ok {
			return out, false
		}
		return append(out, h.parseAt(s.S, etc, textLoc(s, r))...), known
	}
	texts, locs, ok := h.linesText("programs.ssh.extraConfig")
	known = known && ok
	out = append(out, h.parseLines(texts, locs, "programs.ssh.extraConfig")...)
	return out, known
}

// hmBlocks reads a home-manager configuration's programs.ssh: matchBlocks
// (in name order, as home-manager writes them) and extraConfig.
func (h *host) hmBlocks() (out []model.SSHBlock, known bool) {
	known = true
	names, ok := h.attrNames("programs.ssh.matchBlocks")
	known = known && ok
	for _, n := range names {
		p := "programs.ssh.matchBlocks." + n + "."
		if len(h.Leaves(split(p+"data"))) > 0 {
			p += "data." // lib.hm.dag.entryBefore/After
		}
		host := h.strOr(p+"host", "")
		ids := []model.Str{}
		if len(h.Leaves(split(p+"identityFile"))) > 0 {
			r := h.Option(split(p + "identityFile"))
			if _, isList := r.V.(*lang.List); isList {
				l := h.pathList(p + "identityFile")
				known = known && !l.Unknown
				for _, v := range l.V {
					ids = append(ids, model.Str{V: v, At: l.At})
				}
			} else if s := h.strOf(r.V, r); !s.Unknown && !s.Null {
				ids = append(ids, s)
			}
		}
		var at model.Loc
		if d := h.Leaves(split("programs.ssh.matchBlocks." + n)); len(d) > 0 && d[0].Bind != nil {
			at = d[0].Bind.Sp.Loc()
		}
		b := model.MatchBlock(n, host.V, at, h.strOr(p+"user", ""), h.strOr(p+"hostname", ""), h.strOr(p+"port", ""), ids)
		if host.Unknown || b.User.Unknown || b.HostName.Unknown || b.Port.Unknown {
			known = false
		}
		out = append(out, b)
	}
	settings, ok := h.hmSettings()
	known = known && ok
	out = append(out, settings...)
	texts, locs, ok := h.linesText("programs.ssh.extraConfig")
	known = known && ok
	out = append(out, h.parseLines(texts, locs, "home-manager.users.root.programs.ssh.extraConfig")...)
	// A ~/.ssh/config written as a file (home.file), which ssh reads as
	// the same file.
	if p := []string{"home", "file", ".ssh/config", "text"}; len(h.Leaves(p)) > 0 {
		r := h.Option(p)
		s, ok := r.V.(*lang.Str)
		if !ok {
			return out, false
		}
		out = append(out, h.parseLines([]string{s.S}, []model.Loc{textLoc(s, r)}, "home-manager.users.root.home.file.\".ssh/config\".text")...)
	}
	return out, known
}

// hmSettings reads home-manager's programs.ssh.settings: a Host block per
// name, with ssh's option names; the wildcard blocks last, as home-manager
// writes its Host * block last.
func (h *host) hmSettings() (out []model.SSHBlock, known bool) {
	base := split("programs.ssh.settings")
	names, ok := h.attrNamesP(base)
	if !ok {
		return nil, false
	}
	known = true
	for _, n := range model.SettingsOrder(names) {
		p := append(append([]string(nil), base...), n)
		b := model.SSHBlock{Patterns: strings.Fields(n), Source: "home-manager.users.root.programs.ssh.settings." + n}
		if d := h.Leaves(p); len(d) > 0 && d[0].Bind != nil {
			b.At = d[0].Bind.Sp.Loc()
		}
		opts, ok := h.attrNamesP(p)
		known = known && ok
		for _, o := range opts {
			op := append(append([]string(nil), p...), o)
			r := h.Option(op)
			switch strings.ToLower(o) {
			case "user", "hostname", "port":
				v := h.strOf(r.V, r)
				known = known && !v.Unknown
				switch strings.ToLower(o) {
				case "user":
					b.User = v
				case "hostname":
					b.HostName = v
				case "port":
					b.Port = v
				}
			case "identityfile":
				if _, isList := r.V.(*lang.List); isList {
					l := h.listOf(r.V)
					known = known && !l.Unknown
					for _, v := range l.V {
						b.IdentityFiles = append(b.IdentityFiles, model.Str{V: v, At: locOf(r)})
					}
				} else if v := h.strOf(r.V, r); !v.Unknown && !v.Null {
					b.IdentityFiles = append(b.IdentityFiles, v)
				} else {
					known = false
				}
			}
		}
		out = append(out, b)
	}
	return out, known
}

// pathList reads a list of strings or paths.
func (h *host) pathList(path string) model.StrList {
	return h.pathListOr(path)
}

// readTreeFile reads a file of the tree a path value names (nil if it is
// not in the tree or too large).
func (h *host) readTreeFile(v lang.Value) (data []byte, rel string) {
	p, ok := h.Ev.RealPath(v)
	if !ok {
		return nil, ""
	}
	st, err := os.Stat(p)
	if err != nil || !st.Mode().IsRegular() || st.Size() > 1<<20 {
		return nil, ""
	}
	data, err = os.ReadFile(p)
	if err != nil {
		return nil, ""
	}
	return data, h.Ev.Loader().Rel(p)
}

// knownHosts reads programs.ssh.knownHosts.
func (h *host) knownHosts() []model.KnownHost {
	names, _ := h.attrNames("programs.ssh.knownHosts")
	var out []model.KnownHost
	for _, n := range names {
		p := "programs.ssh.knownHosts." + n + "."
		k := model.KnownHost{Name: n, HostNames: []string{n}}
		if len(h.Leaves(split(p+"hostNames"))) > 0 {
			k.HostNames = h.list(p + "hostNames").V
		}
		if d := h.Leaves(split("programs.ssh.knownHosts." + n)); len(d) > 0 && d[0].Bind != nil {
			k.At = d[0].Bind.Sp.Loc()
		}
		if len(h.Leaves(split(p+"publicKey"))) > 0 {
			k.Key = h.str(p + "publicKey")
		} else if len(h.Leaves(split(p+"publicKeyFile"))) > 0 {
			r := h.Option(split(p + "publicKeyFile"))
			k.Key = model.Str{Unknown: true, At: locOf(r)}
			if data, rel := h.readTreeFile(r.V); data != nil {
				if ls := model.KeyLines(string(data), rel); len(ls) > 0 {
					k.Key = model.Str{V: ls[0].Line, At: ls[0].At}
				}
			}
		} else {
			k.Key = model.Str{Null: true}
		}
		out = append(out, k)
	}
	return out
}

// hostKeyPaths is services.openssh.hostKeys' paths (NixOS: an rsa and an
// ed25519 key in /etc/ssh).
func (h *host) hostKeyPaths() []string {
	if len(h.Leaves(split("services.openssh.hostKeys"))) == 0 {
		return []string{"/etc/ssh/ssh_host_rsa_key", "/etc/ssh/ssh_host_ed25519_key"}
	}
	l, ok := h.Option(split("services.openssh.hostKeys")).V.(*lang.List)
	if !ok {
		return nil
	}
	var out []string
	for _, e := range l.Elems {
		a, ok := h.Ev.Force(e).(*lang.Attrs)
		if !ok {
			return nil
		}
		at, ok := a.Get("path")
		if !ok {
			continue
		}
		switch x := h.Ev.Force(at.T).(type) {
		case *lang.Str:
			out = append(out, x.S)
		case *lang.Path:
			out = append(out, x.P)
		default:
			return nil
		}
	}
	return out
}

// sshd reads the settings of services.openssh a login depends on.
func (h *host) sshd() model.SSHD {
	s := model.SSHD{Enable: h.boolean("services.openssh.enable"), PermitRootLogin: h.str("services.openssh.settings.PermitRootLogin")}
	if len(h.Leaves(split("services.openssh.permitRootLogin"))) > 0 {
		s.PermitRootLogin = h.str("services.openssh.permitRootLogin")
	}
	s.Ports = h.numList("services.openssh.ports")
	if len(h.Leaves(split("services.openssh.listenAddresses"))) > 0 {
		r := h.Option(split("services.openssh.listenAddresses"))
		s.ListenPorts = model.StrList{V: []string{}, At: locOf(r)}
		if l, ok := r.V.(*lang.List); ok {
			for _, e := range l.Elems {
				a, ok := h.Ev.Force(e).(*lang.Attrs)
				if !ok {
					s.ListenPorts.Unknown = true
					continue
				}
				if port, ok := a.Get("port"); ok {
					switch x := h.Ev.Force(port.T).(type) {
					case lang.Int:
						s.ListenPorts.V = append(s.ListenPorts.V, itoa(x.I))
					case lang.Null:
					default:
						s.ListenPorts.Unknown = true
					}
				}
			}
		} else {
			s.ListenPorts.Unknown = true
		}
	}
	for _, o := range []struct {
		name string
		to   *model.StrList
	}{{"AllowUsers", &s.AllowUsers}, {"AllowGroups", &s.AllowGroups}, {"DenyUsers", &s.DenyUsers}, {"DenyGroups", &s.DenyGroups}} {
		p := "services.openssh.settings." + o.name
		if len(h.Leaves(split(p))) == 0 {
			continue
		}
		r := h.Option(split(p))
		if _, null := r.V.(lang.Null); null {
			continue
		}
		*o.to = h.list(p)
	}
	return s
}

// numList reads a list of port numbers as strings (NixOS's default [ 22 ]
// for services.openssh.ports).
func (h *host) numList(path string) model.StrList {
	if len(h.Leaves(split(path))) == 0 {
		return model.StrList{V: []string{"22"}}
	}
	r := h.Option(split(path))
	out := model.StrList{V: []string{}, At: locOf(r)}
	l, ok := r.V.(*lang.List)
	if !ok {
		out.Unknown = true
		return out
	}
	for _, e := range l.Elems {
		switch x := h.Ev.Force(e).(type) {
		case lang.Int:
			out.V = append(out.V, itoa(x.I))
			out.Items = append(out.Items, valueLoc(nil, e, nil))
		default:
			return model.StrList{V: []string{}, Unknown: true, At: out.At}
		}
	}
	return out
}

func itoa(i int64) string {
	neg := i < 0
	if neg {
		i = -i
	}
	var b [24]byte
	n := len(b)
	for {
		n--
		b[n] = byte('0' + i%10)
		i /= 10
		if i == 0 {
			break
		}
	}
	if neg {
		n--
		b[n] = '-'
	}
	return string(b[n:])
}

// fileKeys reads the key lines of a user's authorizedKeys.keyFiles that
// lie in the tree.
func (h *host) fileKeys(p string) (keys []model.KeyLine, unread bool) {
	if len(h.Leaves(split(p))) == 0 {
		return nil, false
	}
	l, ok := h.Option(split(p)).V.(*lang.List)
	if !ok {
		return nil, true
	}
	for _, e := range l.Elems {
		data, rel := h.readTreeFile(h.Ev.Force(e))
		if data == nil {
			unread = true
			continue
		}
		keys = append(keys, model.KeyLines(string(data), rel)...)
	}
	return keys, unread
}

// sshKeyPub is the public half of a build machine's sshKey when the key is
// a file of the tree with its .pub beside it.
func (h *host) sshKeyPub(v lang.Value) model.KeyLine {
	var pv lang.Value
	switch x := v.(type) {
	case *lang.Path:
		pv = &lang.Path{P: x.P + ".pub"}
	case *lang.Str:
		if x.Path == nil {
			return model.KeyLine{}
		}
		pv = &lang.Path{P: x.Path.P + ".pub"}
	default:
		return model.KeyLine{}
	}
	data, rel := h.readTreeFile(pv)
	if ls := model.KeyLines(string(data), rel); len(ls) > 0 {
		return ls[0]
	}
	return model.KeyLine{}
}

// addresses are the names and addresses a host's configuration gives it.
func (h *host) addresses() []model.Addr {
	var out []model.Addr
	served := false
	add := func(name, from string, at model.Loc) { out = model.AddAddr(out, name, from, at, served) }
	each := func(path []string, fn func(n string, p []string)) {
		names, _ := h.attrNamesP(path)
		for _, n := range names {
			fn(n, append(append([]string(nil), path...), n))
		}
	}
	sub := func(p []string, more ...string) []string { return append(append([]string(nil), p...), more...) }
	listAt := func(path []string, from string, field string) {
		if len(h.Leaves(path)) == 0 {
			return
		}
		r := h.Option(path)
		l, ok := r.V.(*lang.List)
		if !ok {
			return
		}
		for _, e := range l.Elems {
			switch x := h.Ev.Force(e).(type) {
			case *lang.Str:
				add(x.S, from, valueLoc(x, e, nil))
			case *lang.Attrs:
				if field == "" {
					continue
				}
				if a, ok := x.Get(field); ok {
					if s, ok := h.Ev.Force(a.T).(*lang.Str); ok {
						add(s.S, from, valueLoc(s, a.T, a.Bind))
					}
				}
			}
		}
	}
	each(split("networking.interfaces"), func(n string, p []string) {
		listAt(sub(p, "ipv4", "addresses"), "networking.interfaces."+n+".ipv4.addresses", "address")
		listAt(sub(p, "ipv6", "addresses"), "networking.interfaces."+n+".ipv6.addresses", "address")
	})
	each(split("systemd.network.networks"), func(n string, p []string) {
		listAt(sub(p, "address"), "systemd.network.networks."+n+".address", "")
		listAt(sub(p, "addresses"), "systemd.network.networks."+n+".addresses", "Address")
	})
	each(split("networking.wireguard.interfaces"), func(n string, p []string) {
		listAt(sub(p, "ips"), "networking.wireguard.interfaces."+n+".ips", "")
	})
	each(split("networking.wg-quick.interfaces"), func(n string, p []string) {
		listAt(sub(p, "address"), "networking.wg-quick.interfaces."+n+".address", "")
	})
	serve := func(path, from string) {
		each(split(path), func(n string, p []string) {
			var at model.Loc
			if d := h.Leaves(p); len(d) > 0 && d[0].Bind != nil {
				at = d[0].Bind.Sp.Loc()
			}
			served = true
			add(n, from, at)
			listAt(sub(p, "serverAliases"), from, "")
			listAt(sub(p, "extraDomainNames"), from, "")
			served = false
		})
	}
	serve("services.nginx.virtualHosts", "services.nginx.virtualHosts")
	serve("services.caddy.virtualHosts", "services.caddy.virtualHosts")
	serve("security.acme.certs", "security.acme.certs")
	return out
}

// hostsEntries are a host's /etc/hosts lines: networking.hosts (address
// to names) and networking.extraHosts; each Addr's Name is
// "address name…".
func (h *host) hostsEntries() []model.Addr {
	var out []model.Addr
	names, _ := h.attrNames("networking.hosts")
	for _, ip := range names {
		p := []string{"networking", "hosts", ip}
		l := h.listOf(h.Option(p).V)
		l.At = locOf(h.Option(p))
		if l.Unknown || len(l.V) == 0 {
			continue
		}
		out = append(out, model.Addr{Name: ip + " " + strings.Join(l.V, " "), From: "networking.hosts", At: l.At})
	}
	texts, locs, _ := h.linesText("networking.extraHosts")
	for i, t := range texts {
		out = append(out, model.ParseExtraHosts(t, locs[i])...)
	}
	return out
}

// knownHostsWritten reads root's known_hosts lines that the fleet writes
// itself: /etc/ssh/ssh_known_hosts (environment.etc text or a source file
// of the tree), the files of programs.ssh.knownHostsFiles that are in the
// tree, and root's home-manager ~/.ssh/known_hosts (home.file text or
// source). ssh checks a host key against all of them.
func (h *host) knownHostsWritten() []model.KnownHost {
	var out []model.KnownHost
	out = append(out, h.knownHostsEtc([]string{"environment", "etc", "ssh/ssh_known_hosts"}, `environment.etc."ssh/ssh_known_hosts"`)...)
	if len(h.Leaves(split("programs.ssh.knownHostsFiles"))) > 0 {
		if l, ok := h.Option(split("programs.ssh.knownHostsFiles")).V.(*lang.List); ok {
			for _, e := range l.Elems {
				out = append(out, h.knownHostsFile(h.Ev.Force(e), "programs.ssh.knownHostsFiles")...)
			}
		}
	}
	if len(h.Leaves(split("home-manager.users.root"))) > 0 {
		hm := &host{h.Submodule(split("home-manager.users.root"), lang.ValThunk(&lang.List{}), nil)}
		out = append(out, hm.knownHostsEtc([]string{"home", "file", ".ssh/known_hosts"}, `home-manager.users.root.home.file.".ssh/known_hosts"`)...)
	}
	return out
}

// knownHostsEtc reads a file option (environment.etc.<name>, home.file.<name>)
// written as text or as a source file of the tree.
func (h *host) knownHostsEtc(p []string, what string) []model.KnownHost {
	text := append(append([]string(nil), p...), "text")
	if len(h.Leaves(p)) == 0 {
		return nil
	}
	if len(h.Leaves(text)) > 0 {
		var out []model.KnownHost
		texts, locs, _ := h.linesTextP(text)
		for i, t := range texts {
			out = append(out, model.ParseKnownHosts(t, what+".text", h.lineLoc(locs[i]))...)
		}
		return out
	}
	src := append(append([]string(nil), p...), "source")
	if len(h.Leaves(src)) > 0 {
		return h.knownHostsFile(h.Option(src).V, what+".source")
	}
	return nil
}

// knownHostsFile reads a known_hosts file of the tree a path value names.
func (h *host) knownHostsFile(v lang.Value, what string) []model.KnownHost {
	data, rel := h.readTreeFile(v)
	if data == nil {
		return nil
	}
	return model.ParseKnownHosts(string(data), what+" ("+rel+")", func(i int) model.Loc {
		return model.Loc{File: rel, Line: i + 1, Column: 1}
	})
}

// lineLoc gives the place of line i of a text that starts at at, its column
// that of the line's first word in the file.
func (h *host) lineLoc(at model.Loc) func(int) model.Loc {
	var src *lang.Source
	for _, f := range h.Files() {
		if f.Rel == at.File {
			src = f
		}
	}
	return func(i int) model.Loc {
		if !at.Known() {
			return at
		}
		l := model.Loc{File: at.File, Line: at.Line + i, Column: 1}
		if src != nil {
			lines := strings.Split(string(src.Data), "\n")
			if l.Line-1 < len(lines) {
				t := lines[l.Line-1]
				l.Column = 1 + len(t) - len(strings.TrimLeft(t, " \t"))
			}
		}
		return l
	}
}

// nebula reads services.nebula.networks (nil when a network's values
// cannot be known).
func (h *host) nebula() []model.Nebula {
	if len(h.Leaves(split("services.nebula.networks"))) == 0 {
		return nil
	}
	names, ok := h.attrNamesP(split("services.nebula.networks"))
	if !ok {
		return nil
	}
	var out []model.Nebula
	for _, n := range names {
		p := []string{"services", "nebula", "networks", n}
		sub := func(k ...string) []string { return append(append([]string(nil), p...), k...) }
		x := model.Nebula{Network: n}
		if len(h.Leaves(sub("isLighthouse"))) > 0 {
			b, ok := h.Option(sub("isLighthouse")).V.(lang.Bool)
			if !ok {
				return nil
			}
			x.Lighthouse = b.B
		}
		if len(h.Leaves(sub("lighthouses"))) > 0 {
			l := h.listOf(h.Option(sub("lighthouses")).V)
			if l.Unknown {
				return nil
			}
			x.Lighthouses = l.V
		}
		if len(h.Leaves(sub("staticHostMap"))) > 0 {
			ips, ok := h.attrNamesP(sub("staticHostMap"))
			if !ok {
				return nil
			}
			for _, ip := range ips {
				l := h.listOf(h.Option(sub("staticHostMap", ip)).V)
				if l.Unknown {
					return nil
				}
				if x.StaticHostMap == nil {
					x.StaticHostMap = map[string][]string{}
				}
				x.StaticHostMap[ip] = l.V
			}
		}
		out = append(out, x)
	}
	return out
}
