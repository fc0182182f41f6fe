package nixeval

import "strings"

// virtualDefs are the definitions NixOS itself makes for the options the
// rules read (../shared/docs/nix-remote-build.md §4-5), at the priority NixOS
// gives them, so user definitions merge with or override them as they do in
// a real evaluation.
func (h *hostEval) virtualDefs(path []string) []leaf {
	key := strings.Join(path, ".")
	def := func(prio int, v Value) []leaf {
		return []leaf{{t: valThunk(v), prio: prio, cond: condTrue}}
	}
	strs := func(ss ...string) Value {
		vs := make([]Value, len(ss))
		for i, s := range ss {
			vs[i] = strV(s)
		}
		return listOf(vs...)
	}
	if h.kind == "darwin" && (key == "nix.distributedBuilds" || key == "nix.buildMachines") {
		if lb := h.linuxBuilder(); lb != nil {
			if key == "nix.distributedBuilds" {
				return []leaf{{t: valThunk(Bool{true}), prio: prioDefault, cond: condTrue}}
			}
			return []leaf{{t: valThunk(listOf(lb)), prio: prioDefault, cond: condTrue}, {t: valThunk(&List{}), prio: prioOptionDefault, cond: condTrue}}
		}
	}
	switch key {
	case "nix.settings.system-features":
		if h.kind == "nixos" {
			// nix.nix: mkDefault [ nixos-test benchmark big-parallel kvm ] (+ gccarch-*).
			return def(1000, strs("nixos-test", "benchmark", "big-parallel", "kvm"))
		}
	case "nix.settings.trusted-users":
		return def(prioDefault, strs("root"))
	case "nix.settings.max-jobs":
		return def(prioOptionDefault, strV("auto"))
	case "nix.distributedBuilds", "services.openssh.enable":
		return def(prioOptionDefault, Bool{false})
	case "nix.buildMachines", "boot.binfmt.emulatedSystems":
		return def(prioOptionDefault, &List{})
	case "services.openssh.settings.PermitRootLogin":
		return def(prioOptionDefault, strV("prohibit-password"))
	case "networking.hostName":
		return def(prioOptionDefault, strV("nixos"))
	case "networking.domain":
		return def(prioOptionDefault, Null{})
	case "nix.settings.extra-platforms":
		// binfmt.nix: extra-platforms = emulatedSystems ++ i686-linux on x86_64.
		em := h.option([]string{"boot", "binfmt", "emulatedSystems"})
		switch l := em.V.(type) {
		case *List:
			if len(l.Elems) == 0 {
				return nil
			}
			t := lazy(func() Value {
				out := &List{Elems: append([]*Thunk(nil), l.Elems...)}
				if s, ok := h.ev.force(h.system).(*Str); ok && s.S == "x86_64-linux" {
					out.Elems = append(out.Elems, valThunk(strV("i686-linux")))
				}
				return out
			})
			return []leaf{{t: t, prio: prioDefault, cond: condTrue}}
		case *Unknown:
			return def(prioDefault, l)
		}
	}
	return nil
}

// linuxBuilder is the build machine entry nix-darwin's nix.linux-builder
// adds (a local Linux VM reached as "linux-builder"), or nil.
func (h *hostEval) linuxBuilder() Value {
	en := h.option([]string{"nix", "linux-builder", "enable"})
	if b, ok := en.V.(Bool); !ok || !b.B {
		return nil
	}
	entry := newAttrs()
	entry.set("hostName", strV("linux-builder"))
	entry.set("sshUser", strV("builder"))
	entry.set("protocol", strV("ssh-ng"))
	entry.set("sshKey", strV("/etc/nix/builder_ed25519"))
	entry.set("supportedFeatures", listOf(strV("kvm"), strV("benchmark"), strV("big-parallel")))
	entry.set("speedFactor", Int{1})
	for _, f := range []string{"systems", "maxJobs", "supportedFeatures", "mandatoryFeatures", "speedFactor", "protocol"} {
		if len(h.leaves([]string{"nix", "linux-builder", f})) > 0 {
			entry.setThunk(f, valThunk(h.option([]string{"nix", "linux-builder", f}).V))
		}
	}
	if _, ok := entry.M["systems"]; !ok {
		entry.setThunk("systems", lazy(func() Value {
			s, ok := h.ev.force(h.system).(*Str)
			if !ok {
				return &Unknown{Why: "the host's system is unknown"}
			}
			return listOf(strV(strings.Replace(s.S, "-darwin", "-linux", 1)))
		}))
	}
	if _, ok := entry.M["maxJobs"]; !ok {
		entry.set("maxJobs", Int{1})
	}
	return entry
}
