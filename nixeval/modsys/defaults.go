package modsys

import (
	"strings"

	"github.com/nixbuild-lint/nixbuild-lint/nixeval/lang"
)

// defaultGccArch is the gcc.arch nixpkgs' platforms give a system by
// default (lib/systems/platforms.nix, select), for the systems that have
// one; NixOS adds gccarch-<arch> to system-features from it.
var defaultGccArch = map[string]string{
	"aarch64-linux":  "armv8-a",
	"armv7l-linux":   "armv7-a",
	"armv6l-linux":   "armv6kz",
	"armv5tel-linux": "armv5te",
}

// virtualDefs are the definitions NixOS itself makes for the options the
// rules read (../shared/docs/nix-remote-build.md §4-5), at the priority NixOS
// gives them, so user definitions merge with or override them as they do in
// a real evaluation.
func (h *Host) virtualDefs(path []string) []Leaf {
	if !mayHaveVirtualDefs(path) {
		return nil // none of the paths below: no key to build (asked for every path read)
	}
	key := strings.Join(path, ".")
	def := func(prio int, v lang.Value) []Leaf {
		return []Leaf{{T: lang.ValThunk(v), Prio: prio, Cond: CondTrue}}
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
				return []Leaf{{T: lang.ValThunk(lang.Bool{B: true}), Prio: PrioDefault, Cond: CondTrue}}
			}
			return []Leaf{{T: lang.ValThunk(lang.ListOf(lb)), Prio: PrioDefault, Cond: CondTrue}, {T: lang.ValThunk(&lang.List{}), Prio: PrioOptionDefault, Cond: CondTrue}}
		}
	}
	if h.Kind == "darwin" && key == "nix.settings.builders-use-substitutes" {
		// linux-builder.nix also sets builders-use-substitutes = true.
		if lb := h.linuxBuilder(); lb != nil {
			return []Leaf{{T: lang.ValThunk(lang.Bool{B: true}), Prio: PrioDefault, Cond: CondTrue}}
		}
	}
	switch key {
	case "nix.settings.system-features":
		if h.Kind == "nixos" {
			// nix.nix: mkDefault [ nixos-test benchmark big-parallel kvm ],
			// plus gccarch-<arch> when the host platform has a gcc.arch:
			// nixpkgs' lib/systems/platforms.nix gives the 32- and 64-bit
			// ARM platforms one (aarch64-multiplatform: armv8-a), x86_64
			// none; none of those archs has inferiors.
			t := lang.Lazy(func() lang.Value {
				l := strs("nixos-test", "benchmark", "big-parallel", "kvm").(*lang.List)
				switch s := h.Ev.Force(h.system).(type) {
				case *lang.Str:
					if arch := defaultGccArch[s.S]; arch != "" {
						l.Elems = append(l.Elems, lang.ValThunk(lang.StrV("gccarch-"+arch)))
					}
				case *lang.Unknown:
					// The list rests on the platform, as in NixOS.
					return s
				default:
					return &lang.Unknown{Why: "system-features rests on the host's platform, which is not a system name"}
				}
				return l
			})
			return []Leaf{{T: t, Prio: 1000, Cond: CondTrue}}
		}
	case "nix.settings.trusted-users":
		return def(PrioDefault, strs("root"))
	case "nix.settings.max-jobs":
		return def(PrioOptionDefault, lang.StrV("auto"))
	case "nix.distributedBuilds", "services.openssh.enable":
		return def(PrioOptionDefault, lang.Bool{B: false})
	case "nix.buildMachines", "boot.binfmt.emulatedSystems":
		return def(PrioOptionDefault, &lang.List{})
	case "services.openssh.settings.PermitRootLogin":
		return def(PrioOptionDefault, lang.StrV("prohibit-password"))
	case "networking.hostName":
		return def(PrioOptionDefault, lang.StrV("nixos"))
	case "networking.domain":
		return def(PrioOptionDefault, lang.Null{})
	case "nix.settings.extra-platforms":
		// binfmt.nix: extra-platforms = emulatedSystems ++ i686-linux on x86_64.
		em := h.Option([]string{"boot", "binfmt", "emulatedSystems"})
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
			return []Leaf{{T: t, Prio: PrioDefault, Cond: CondTrue}}
		case *lang.Unknown:
			return def(PrioDefault, l)
		}
	}
	return nil
}

// virtualKeys are the paths virtualDefs defines (joined with dots, as it
// compares them).
var virtualKeys = []string{
	"nix.settings.system-features", "nix.settings.trusted-users", "nix.settings.max-jobs",
	"nix.distributedBuilds", "services.openssh.enable", "nix.buildMachines",
	"boot.binfmt.emulatedSystems", "services.openssh.settings.PermitRootLogin",
	"networking.hostName", "networking.domain", "nix.settings.extra-platforms",
	"nix.settings.builders-use-substitutes",
}

// mayHaveVirtualDefs is false for a path virtualDefs defines nothing at,
// known without building its key or evaluating anything.
func mayHaveVirtualDefs(path []string) bool {
	if len(path) == 0 || path[0] == "" || !strings.ContainsRune("nsb", rune(path[0][0])) {
		return false // every key starts with nix, services, networking or boot
	}
	n := len(path) - 1
	for _, p := range path {
		n += len(p)
	}
	for _, k := range virtualKeys {
		if len(k) == n && joinedIs(path, k) {
			return true
		}
	}
	return false
}

// joinedIs reports whether strings.Join(path, ".") == key.
func joinedIs(path []string, key string) bool {
	for i, p := range path {
		if i > 0 {
			if key == "" || key[0] != '.' {
				return false
			}
			key = key[1:]
		}
		if !strings.HasPrefix(key, p) {
			return false
		}
		key = key[len(p):]
	}
	return key == ""
}

// linuxBuilder is the build machine entry nix-darwin's nix.linux-builder
// adds (a local Linux VM reached as "linux-builder"), or nil.
func (h *Host) linuxBuilder() lang.Value {
	en := h.Option([]string{"nix", "linux-builder", "enable"})
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
			entry.SetThunk(f, lang.ValThunk(h.Option([]string{"nix", "linux-builder", f}).V))
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
