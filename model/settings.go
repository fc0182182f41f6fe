package model

import "strings"

// NixConfLines parses nix.extraOptions, which NixOS writes after nix.settings.
func NixConfLines(s string) [][2]string {
	var out [][2]string
	for _, line := range strings.Split(s, "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		out = append(out, [2]string{strings.TrimSpace(k), strings.TrimSpace(v)})
	}
	return out
}

// AppendExtra adds what an extra-* setting adds (Nix appends to the setting).
func (l *StrList) AppendExtra(extra StrList) {
	if extra.Unknown {
		l.Unknown = true
		return
	}
	for i, v := range extra.V {
		if !l.Has(v) {
			l.V = append(l.V, v)
			if l.Items != nil || i < len(extra.Items) {
				if i < len(extra.Items) {
					l.Items = append(l.Items, extra.Items[i])
				} else {
					l.Items = append(l.Items, Loc{})
				}
			}
		}
	}
}

// ApplyExtraOptions applies nix.extraOptions, which NixOS writes into
// nix.conf after nix.settings: a plain setting replaces, extra-* appends
// (extra-platforms is itself a setting name, so it replaces).
func (host *Host) ApplyExtraOptions(eo Str) {
	for _, kv := range NixConfLines(eo.V) {
		vals := StrList{V: strings.Fields(kv[1]), At: eo.At}
		switch kv[0] {
		case "extra-platforms":
			host.ExtraPlat = vals
		case "system-features":
			host.Features = vals
		case "extra-system-features":
			host.Features.AppendExtra(vals)
		case "secret-key-files":
			host.SecretKeyFiles = vals
		case "trusted-public-keys":
			host.TrustedKeys = vals
		case "extra-trusted-public-keys":
			host.TrustedKeys.AppendExtra(vals)
		case "trusted-users":
			host.Trusted = vals
		case "extra-trusted-users":
			host.Trusted.AppendExtra(vals)
		case "max-jobs":
			host.MaxJobs = Str{V: kv[1], At: eo.At}
		case "builders-use-substitutes":
			host.UseSubst = Bool{V: kv[1] == "true", At: eo.At}
		}
	}
}

// UnknownHost is a host every value of which is unknown (one Nix could not
// evaluate), keeping where base (the static reading) found it.
func UnknownHost(name string, base *Host) *Host {
	h := &Host{Name: name, Kind: "nixos", Files: []string{}, Defs: map[string][]Def{}, UsersUnknown: true, Users: []*User{}}
	if base != nil {
		h.Kind, h.Files, h.MainFile, h.Defined = base.Kind, base.Files, base.MainFile, base.Defined
	}
	u := Str{Unknown: true}
	l := StrList{V: []string{}, Unknown: true}
	b := Bool{Unknown: true}
	h.System, h.HostName, h.Domain, h.MaxJobs = u, u, u, u
	h.Emulated, h.ExtraPlat, h.Features, h.Trusted = l, l, l, l
	h.OtherEmulation, h.SecretKeyFiles, h.TrustedKeys = l, l, l
	h.Distribute, h.UseSubst = b, b
	h.SSHD = SSHD{Enable: b, PermitRootLogin: u}
	h.SSHServe = SSHServe{Enable: b, Protocol: u, Write: b, Trusted: b}
	h.Machines = Machines{Unknown: true, Entries: []*Machine{}}
	return h
}
