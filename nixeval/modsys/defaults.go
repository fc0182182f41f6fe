package modsys

import (
	"strings"

	"github.com/nixbuild-lint/nixbuild-lint/nixeval/lang"
)

// virtualDefs are the definitions NixOS itself makes for the options the
// rules read (../shared/docs/nix-remote-build.md §4-5), at the priority NixOS
// gives them, so user definitions merge with or override them as they do in
// a real evaluation.
func (h *Host) virtualDefs(path []string) []leaf {
	key := strings.Join(path, ".")
	def := func(prio int, v lang.Value) []leaf {
		return []leaf{{t: lang.ValThunk(v), prio: prio, cond: condTrue}}
	}
	strs := func(ss ...string) lang.Value {
		vs := make([]lang.Value, len(ss))
		for i, s := range ss {
			vs[i] = lang.StrV(s)
		}
		return lang.ListOf(vs...)
	}
	if h.Kind == "darwin" && (key == "nix.distributedBuilds" || key == "nix.buildMachines") {
		if lb := h.linuxBuilder(); lb != nil {
			if key == "nix.distributedBuilds" {
				return []leaf{{t: lang.ValThunk(lang.Bool{B: true}), prio: prioDefault, cond: condTrue}}
			}
			return []leaf{{t: lang.ValThunk(lang.ListOf(lb)), prio: prioDefault, cond: condTrue}, {t: lang.ValThunk(&lang.List{}), prio: prioOptionDefault, cond: condTrue}}
		}
	}
	switch key {
	case "nix.settings.system-features":
		if h.Kind == "nixos" {
			// nix.nix: mkDefault [ nixos-test benchmark big-parallel kvm ] (+ gccarch-*).
			return def(1000, strs("nixos-test", "benchmark", "big-parallel", "kvm"))
		}
	case "nix.settings.trusted-users":
		return def(prioDefault, strs("root"))
	case "nix.settings.max-jobs":
		return def(prioOptionDefault, lang.StrV("auto"))
	case "nix.distributedBuilds", "services.openssh.enable":
		return def(prioOptionDefault, lang.Bool{B: false})
	case "nix.buildMachines", "boot.binfmt.emulatedSystems":
		return def(prioOptionDefault, &lang.List{})
	case "services.openssh.settings.PermitRootLogin":
		return def(prioOptionDefault, lang.StrV("prohibit-password"))
	case "networking.hostName":
		return def(prioOptionDefault, lang.StrV("nixos"))
	case "networking.domain":
		return def(prioOptionDefault, lang.Null{})
	case "nix.settings.extra-platforms":
		// binfmt.nix: extra-platforms = emulatedSystems ++ i686-linux on x86_64.
		em := h.option([]string{"boot", "binfmt", "emulatedSystems"})
		switch l := em.V.(type) {
		case *lang.List:
			if len(l.Elems) == 0 {
				return nil
			}
			t := lang.Lazy(func() lang.Value {
				out := &lang.List{Elems: append([]*lang.Thunk(nil), l.Elems...)}
				if s, ok := h.Ev.Force(h.system).(*lang.Str); ok && s.S == "x86_64-linux" {
					out.Elems = append(out.Elems, lang.ValThunk(lang.StrV("i686-linux")))
				}
				return out
			})
			return []leaf{{t: t, prio: prioDefault, cond: condTrue}}
		case *lang.Unknown:
			return def(prioDefault, l)
		}
	}
	return nil
}

// linuxBuilder is the build machine entry nix-darwin's nix.linux-builder
// adds (a local Linux VM reached as "linux-builder"), or nil.
func (h *Host) linuxBuilder() lang.Value {
	en := h.option([]string{"nix", "linux-builder", "enable"})
	if b, ok := en.V.(lang.Bool); !ok || !b.B {
		return nil
	}
	entry := lang.NewAttrs()
	entry.Set("hostName", lang.StrV("linux-builder"))
	entry.Set("sshUser", lang.StrV("builder"))
	entry.Set("protocol", lang.StrV("ssh-ng"))
	entry.Set("sshKey", lang.StrV("/etc/nix/builder_ed25519"))
	entry.Set("supportedFeatures", lang.ListOf(lang.StrV("kvm"), lang.StrV("benchmark"), lang.StrV("big-parallel")))
	entry.Set("speedFactor", lang.Int{I: 1})
	for _, f := range []string{"systems", "maxJobs", "supportedFeatures", "mandatoryFeatures", "speedFactor", "protocol"} {
		if len(h.Leaves([]string{"nix", "linux-builder", f})) > 0 {
			entry.SetThunk(f, lang.ValThunk(h.option([]string{"nix", "linux-builder", f}).V))
		}
	}
	if _, ok := entry.M["systems"]; !ok {
		entry.SetThunk("systems", lang.Lazy(func() lang.Value {
			s, ok := h.Ev.Force(h.system).(*lang.Str)
			if !ok {
				return &lang.Unknown{Why: "the host's system is unknown"}
			}
			return lang.ListOf(lang.StrV(strings.Replace(s.S, "-darwin", "-linux", 1)))
		}))
	}
	if _, ok := entry.M["maxJobs"]; !ok {
		entry.Set("maxJobs", lang.Int{I: 1})
	}
	return entry
}
