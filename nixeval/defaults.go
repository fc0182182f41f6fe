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
