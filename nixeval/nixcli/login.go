package nixcli

import (
	"encoding/json"
	"sort"
	"strconv"
	"strings"

	"github.com/nixbuild-lint/nixbuild-lint/model"
)

// loginFromNix fills what a login depends on from Nix's values, with the
// static reader's places where both readers read the same.
func loginFromNix(h *model.Host, r rawHost, base *model.Host) {
	h.SSHD.Ports = portList(r.SSHDPorts, base.SSHD.Ports)
	if r.ListenAddrs.known() {
		var las []struct {
			Port *float64 `json:"port"`
		}
		h.SSHD.ListenPorts = model.StrList{V: []string{}, At: base.SSHD.ListenPorts.At}
		if json.Unmarshal(r.ListenAddrs.V, &las) != nil {
			h.SSHD.ListenPorts.Unknown = true
		}
		if len(las) == 0 && !h.SSHD.ListenPorts.Unknown && base.SSHD.ListenPorts.V == nil {
			h.SSHD.ListenPorts = model.StrList{}
		}
		for _, la := range las {
			if la.Port != nil {
				h.SSHD.ListenPorts.V = append(h.SSHD.ListenPorts.V, strconv.FormatFloat(*la.Port, 'f', -1, 64))
			}
		}
	}
	for _, o := range []struct {
		raw  opt
		to   *model.StrList
		base model.StrList
	}{{r.SSHDUsers.AllowUsers, &h.SSHD.AllowUsers, base.SSHD.AllowUsers}, {r.SSHDUsers.AllowGroups, &h.SSHD.AllowGroups, base.SSHD.AllowGroups},
		{r.SSHDUsers.DenyUsers, &h.SSHD.DenyUsers, base.SSHD.DenyUsers}, {r.SSHDUsers.DenyGroups, &h.SSHD.DenyGroups, base.SSHD.DenyGroups}} {
		if o.raw.Absent || string(o.raw.V) == "null" {
			continue
		}
		*o.to = o.raw.list(o.base)
	}
	h.HostKeyPaths = []string{"/etc/ssh/ssh_host_rsa_key", "/etc/ssh/ssh_host_ed25519_key"}
	if !r.HostKeys.Absent {
		h.HostKeyPaths = nil
		if r.HostKeys.known() {
			_ = json.Unmarshal(r.HostKeys.V, &h.HostKeyPaths)
		}
	}
	h.KnownHosts = model.MergeKnownHosts(knownHostsFromNix(r.KnownHosts, base), writtenFromNix(r.KHWritten, base))
	blocks, known := blocksFromNix(r)
	if model.SameBlocks(blocks, base.SSHBlocks) {
		blocks = base.SSHBlocks
	}
	h.SSHBlocks = blocks
	h.SSHConfigUnknown = !known || !r.SSHExtraConfig.known() && !r.SSHExtraConfig.Absent
	h.Addresses = addressesFromNix(r.Addresses, base)
	h.HostsEntries = hostsFromNix(r, base)
	h.Nebula = nebulaFromNix(r.Nebula)
}

func portList(o opt, base model.StrList) model.StrList {
	if o.Absent {
		return model.StrList{V: []string{"22"}}
	}
	var ps []float64
	if !o.known() || json.Unmarshal(o.V, &ps) != nil {
		return model.StrList{V: []string{}, Unknown: true, At: base.At}
	}
	vs := []string{}
	for _, p := range ps {
		vs = append(vs, strconv.FormatFloat(p, 'f', -1, 64))
	}
	return withItems(vs, base)
}

func knownHostsFromNix(o opt, base *model.Host) []model.KnownHost {
	var raw map[string]struct {
		HostNames     []string `json:"hostNames"`
		PublicKey     *string  `json:"publicKey"`
		PublicKeyFile *string  `json:"publicKeyFile"`
	}
	if !o.known() || json.Unmarshal(o.V, &raw) != nil {
		return nil
	}
	names := make([]string, 0, len(raw))
	for n := range raw {
		names = append(names, n)
	}
	sort.Strings(names)
	var out []model.KnownHost
	for _, n := range names {
		k := model.KnownHost{Name: n, HostNames: nonNil(raw[n].HostNames)}
		var b *model.KnownHost
		for i := range base.KnownHosts {
			if base.KnownHosts[i].Name == n {
				b = &base.KnownHosts[i]
			}
		}
		if b != nil {
			k.At = b.At
		}
		switch {
		case raw[n].PublicKey != nil:
			k.Key = model.Str{V: *raw[n].PublicKey}
		case raw[n].PublicKeyFile != nil:
			k.Key = model.Str{Unknown: true}
			if ls := model.KeyLines(*raw[n].PublicKeyFile, ""); len(ls) > 0 {
				k.Key = model.Str{V: ls[0].Line}
			}
		default:
			k.Key = model.Str{Null: true}
		}
		if b != nil && b.Key.V == k.Key.V && b.Key.Null == k.Key.Null {
			k.Key = b.Key
		}
		out = append(out, k)
	}
	return out
}

// blocksFromNix reads root's ssh configuration as the static reader does
// (model.MatchBlock, model.ParseSSHConfig).
func blocksFromNix(r rawHost) ([]model.SSHBlock, bool) {
	var out []model.SSHBlock
	known := true
	if !r.HMRoot.Absent {
		var hm struct {
			MatchBlocks map[string]struct {
				Host, Hostname, User *string
				Port                 *float64
				IdentityFile         json.RawMessage `json:"identityFile"`
			} `json:"matchBlocks"`
			Settings map[string]struct {
				User, Hostname *string
				Port           json.RawMessage
				IdentityFile   json.RawMessage `json:"identityfile"`
			} `json:"settings"`
			ExtraConfig   string  `json:"extraConfig"`
			SSHConfigFile *string `json:"sshConfigFile"`
		}
		if !r.HMRoot.known() || json.Unmarshal(r.HMRoot.V, &hm) != nil {
			return nil, false
		}
		names := make([]string, 0, len(hm.MatchBlocks))
		for n := range hm.MatchBlocks {
			names = append(names, n)
		}
		sort.Strings(names)
		str := func(p *string) model.Str {
			if p == nil {
				return model.Str{}
			}
			return model.Str{V: *p}
		}
		for _, n := range names {
			m := hm.MatchBlocks[n]
			port := model.Str{}
			if m.Port != nil {
				port.V = strconv.FormatFloat(*m.Port, 'f', -1, 64)
			}
			ids := identityFiles(m.IdentityFile)
			out = append(out, model.MatchBlock(n, str(m.Host).V, model.Loc{}, str(m.User), str(m.Hostname), port, ids))
		}
		snames := make([]string, 0, len(hm.Settings))
		for n := range hm.Settings {
			snames = append(snames, n)
		}
		for _, n := range model.SettingsOrder(snames) {
			o := hm.Settings[n]
			b := model.SSHBlock{Patterns: strings.Fields(n), Source: "home-manager.users.root.programs.ssh.settings." + n, User: str(o.User), HostName: str(o.Hostname)}
			var num float64
			var txt string
			if json.Unmarshal(o.Port, &num) == nil && len(o.Port) > 0 && string(o.Port) != "null" {
				b.Port.V = strconv.FormatFloat(num, 'f', -1, 64)
			} else if json.Unmarshal(o.Port, &txt) == nil {
				b.Port.V = txt
			}
			b.IdentityFiles = identityFiles(o.IdentityFile)
			if len(b.IdentityFiles) == 0 {
				b.IdentityFiles = nil
			}
			out = append(out, b)
		}
		if hm.ExtraConfig != "" {
			out = append(out, model.ParseSSHConfig(hm.ExtraConfig, "home-manager.users.root.programs.ssh.extraConfig", model.Loc{})...)
		}
		if hm.SSHConfigFile != nil {
			out = append(out, model.ParseSSHConfig(*hm.SSHConfigFile, "home-manager.users.root.home.file.\".ssh/config\".text", model.Loc{})...)
		}
	}
	if r.EtcSSHConfig.known() {
		var t string
		if json.Unmarshal(r.EtcSSHConfig.V, &t) != nil {
			return out, false
		}
		return append(out, model.ParseSSHConfig(t, "environment.etc.ssh/ssh_config.text", model.Loc{})...), known
	}
	if r.SSHExtraConfig.known() {
		var t string
		if json.Unmarshal(r.SSHExtraConfig.V, &t) == nil && t != "" {
			out = append(out, model.ParseSSHConfig(t, "programs.ssh.extraConfig", model.Loc{})...)
		}
	}
	return out, known
}

func addressesFromNix(o opt, base *model.Host) []model.Addr {
	var raw []struct {
		Name, From string
		Served     bool
	}
	if !o.known() || json.Unmarshal(o.V, &raw) != nil {
		return nil
	}
	var out []model.Addr
	for _, a := range raw {
		out = model.AddAddr(out, a.Name, a.From, model.Loc{}, a.Served)
	}
	return sameAddrs(out, base.Addresses)
}

func hostsFromNix(r rawHost, base *model.Host) []model.Addr {
	var out []model.Addr
	var hosts map[string][]string
	if r.NetworkingHosts.known() && json.Unmarshal(r.NetworkingHosts.V, &hosts) == nil {
		ips := make([]string, 0, len(hosts))
		for ip := range hosts {
			ips = append(ips, ip)
		}
		sort.Strings(ips)
		for _, ip := range ips {
			if len(hosts[ip]) > 0 {
				out = append(out, model.Addr{Name: ip + " " + strings.Join(hosts[ip], " "), From: "networking.hosts"})
			}
		}
	}
	var t string
	if r.ExtraHosts.known() && json.Unmarshal(r.ExtraHosts.V, &t) == nil {
		out = append(out, model.ParseExtraHosts(t, model.Loc{})...)
	}
	return sameAddrs(out, base.HostsEntries)
}

// sameAddrs takes the static reader's places when it read the same.
func sameAddrs(out, base []model.Addr) []model.Addr {
	if len(out) != len(base) {
		return out
	}
	for i := range out {
		if out[i].Name != base[i].Name || out[i].From != base[i].From {
			return out
		}
	}
	return base
}

// sameKeyLines takes the static reader's places when it read the same.
func sameKeyLines(out, base []model.KeyLine) []model.KeyLine {
	if len(out) != len(base) {
		return out
	}
	for i := range out {
		if out[i].Line != base[i].Line {
			return out
		}
	}
	return base
}

// identityFiles reads an IdentityFile value: a path, or a list of them.
func identityFiles(raw json.RawMessage) []model.Str {
	ids := []model.Str{}
	var one string
	var many []string
	switch {
	case len(raw) == 0 || string(raw) == "null":
	case json.Unmarshal(raw, &one) == nil:
		ids = append(ids, model.Str{V: one})
	case json.Unmarshal(raw, &many) == nil:
		for _, x := range many {
			ids = append(ids, model.Str{V: x})
		}
	}
	return ids
}

// writtenFromNix reads the known_hosts texts Nix gives (knownHostsWritten of
// project.nix), each line's place and file name from the static reading
// of the same line.
func writtenFromNix(o opt, base *model.Host) []model.KnownHost {
	var raw []struct {
		From string  `json:"from"`
		Text *string `json:"text"`
	}
	if !o.known() || json.Unmarshal(o.V, &raw) != nil {
		return nil
	}
	var out []model.KnownHost
	for _, f := range raw {
		if f.Text == nil {
			continue
		}
		for _, k := range model.ParseKnownHosts(*f.Text, f.From, func(int) model.Loc { return model.Loc{} }) {
			for _, b := range base.KnownHosts {
				if b.From != "" && strings.HasPrefix(b.From, f.From) && b.Name == k.Name && model.PublicKeyID(b.Key.V) == model.PublicKeyID(k.Key.V) {
					k.From, k.At, k.Key.At = b.From, b.At, b.Key.At
					break
				}
			}
			out = append(out, k)
		}
	}
	return out
}

func nebulaFromNix(o opt) []model.Nebula {
	var raw map[string]struct {
		IsLighthouse  bool                `json:"isLighthouse"`
		Lighthouses   []string            `json:"lighthouses"`
		StaticHostMap map[string][]string `json:"staticHostMap"`
	}
	if !o.known() || json.Unmarshal(o.V, &raw) != nil || len(raw) == 0 {
		return nil
	}
	names := make([]string, 0, len(raw))
	for n := range raw {
		names = append(names, n)
	}
	sort.Strings(names)
	var out []model.Nebula
	for _, n := range names {
		x := model.Nebula{Network: n, Lighthouse: raw[n].IsLighthouse}
		if len(raw[n].Lighthouses) > 0 {
			x.Lighthouses = raw[n].Lighthouses
		}
		if len(raw[n].StaticHostMap) > 0 {
			x.StaticHostMap = raw[n].StaticHostMap
		}
		out = append(out, x)
	}
	return out
}
