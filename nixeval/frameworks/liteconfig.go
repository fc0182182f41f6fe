package frameworks

import (
	"path/filepath"
	"strconv"
	"strings"

	"github.com/nixbuild-lint/nixbuild-lint/nixeval/lang"
	"github.com/nixbuild-lint/nixbuild-lint/nixeval/modsys"
)

// The reader's own model of lite-config (github:yelite/lite-config), a
// flake-parts module: with inputs.lite-config.flakeModule imported, the
// flake-level option lite-config (lite-system in its first versions) =
// { hosts.<name>.system; hosts.<name>.hostModule; hostModuleDir;
// systemModules (systemModule); … } makes, for each host, a
// nixosConfigurations (or, on a darwin system, darwinConfigurations) entry
// whose modules are its hostModule (else hostModuleDir/<name>), the system
// modules and networking.hostName = <name>, given the module arguments
// hostPlatform (system, isLinux, isDarwin, …) and inputs.

// liteConfigHosts builds the hosts a flake-parts evaluation declares through
// lite-config, or returns nil when it uses none.
func liteConfigHosts(h *modsys.Host, kind string) *lang.Attrs {
	if a, ok := h.Lite[kind]; ok {
		return a // made once: every read sees the same hosts
	}
	a := makeLiteHosts(h, kind)
	if !h.Collecting {
		h.Lite[kind] = a
	}
	return a
}

func makeLiteHosts(h *modsys.Host, kind string) *lang.Attrs {
	opt := liteOption(h)
	if opt == "" {
		return nil
	}
	ev := h.Ev
	sub := h.Submodule([]string{opt}, lang.ValThunk(&lang.List{}), nil)
	hostsNode, ok := ev.Force(sub.Value([]string{"hosts"})).(*lang.Attrs)
	if !ok {
		return nil
	}
	names, ok := hostsNode.Names()
	if !ok {
		return nil
	}
	out := lang.NewAttrs()
	for _, name := range names {
		sys, ok := ev.Force(sub.Value([]string{"hosts", name, "system"})).(*lang.Str)
		if !ok {
			continue
		}
		isDarwin := strings.HasSuffix(sys.S, "-darwin")
		if isDarwin != (kind == "darwin") {
			continue
		}
		modules := &lang.List{}
		if len(sub.Leaves([]string{"hosts", name, "hostModule"})) > 0 {
			modules.Elems = append(modules.Elems, sub.Value([]string{"hosts", name, "hostModule"}))
		} else if dir, ok := ev.RealPath(ev.Force(sub.Value([]string{"hostModuleDir"}))); ok {
			p := filepath.Join(dir, name)
			if fileExists(ev, p+".nix") {
				p += ".nix"
			}
			modules.Elems = append(modules.Elems, lang.ValThunk(&lang.Path{P: p, At: h.At}))
		}
		if l, ok := ev.Force(sub.Value([]string{"systemModules"})).(*lang.List); ok {
			modules.Elems = append(modules.Elems, l.Elems...)
		}
		if len(sub.Leaves([]string{"systemModule"})) > 0 {
			modules.Elems = append(modules.Elems, sub.Value([]string{"systemModule"}))
		}
		platform := lang.NewAttrs()
		platform.Set("system", lang.StrV(sys.S))
		platform.Set("isLinux", lang.Bool{B: strings.HasSuffix(sys.S, "-linux")})
		platform.Set("isDarwin", lang.Bool{B: isDarwin})
		platform.Set("isx86_64", lang.Bool{B: strings.HasPrefix(sys.S, "x86_64-")})
		platform.Set("isAarch64", lang.Bool{B: strings.HasPrefix(sys.S, "aarch64-")})
		pin := lang.NewAttrs()
		pin.Set("nixpkgs", &lang.Attrs{M: map[string]*lang.Attr{"hostPlatform": {T: lang.ValThunk(lang.StrV(sys.S))}}})
		pin.Set("networking", &lang.Attrs{M: map[string]*lang.Attr{"hostName": {T: lang.ValThunk(lang.StrV(name))}}})
		modules.Elems = append(modules.Elems, lang.ValThunk(pin))
		special := lang.NewAttrs()
		if in, ok := h.Special.Get("inputs"); ok {
			special.SetThunk("inputs", in.T)
		}
		special.Set("hostPlatform", platform)
		args := lang.NewAttrs()
		args.Set("modules", modules)
		args.Set("specialArgs", special)
		at := h.At
		if at2, ok := hostsNode.Get(name); ok && at2.Bind != nil {
			at = at2.Bind.Sp
		}
		out.Set(name, modsys.System(ev, lang.ValThunk(args), at, kind))
	}
	return out
}

// flakeOutputs is what mkFlake returns: config.flake, plus the hosts of
// flake-parts modules the reader models (lite-config).
type flakeOutputs struct{ h *modsys.Host }

func (f flakeOutputs) node() *lang.Attrs { return f.h.Node("flake") }

func (f flakeOutputs) Get(name string) (*lang.Attr, bool) {
	if (name == "nixos-unified" || name == "nixos-flake") && len(f.h.Leaves([]string{"flake", name})) == 0 {
		return &lang.Attr{T: lang.ValThunk(unifiedLib(f.h))}, true
	}
	if name == "nixosConfigurations" || name == "darwinConfigurations" {
		kind := strings.TrimSuffix(name, "Configurations")
		if lite := liteConfigHosts(f.h, kind); lite != nil {
			at, _ := f.node().Get(name)
			if base, ok := f.h.Ev.Force(at.T).(*lang.Attrs); ok {
				return &lang.Attr{T: lang.ValThunk(f.h.Ev.Update(lite, base, f.h.At))}, true
			}
			return &lang.Attr{T: lang.ValThunk(lite)}, true
		}
	}
	if perSystemOutputs[name] {
		if names, ok := f.h.Names([]string{"flake", name}); ok && len(names) == 0 {
			return &lang.Attr{T: lang.ValThunk(&lang.Attrs{Dyn: perSystemOutput{ev: f.h.Ev, output: name, why: perSystemWhy(f.h, name)}})}, true
		}
	}
	return f.node().Get(name)
}

// liteOption is the flake-level option lite-config is set through
// (lite-config, or lite-system in its first versions), or "".
func liteOption(h *modsys.Host) string {
	for _, o := range []string{"lite-config", "lite-system"} {
		if len(h.Leaves([]string{o})) > 0 {
			return o
		}
	}
	return ""
}

// UnreadWhy says which of the flake's own modules (flake-parts modules
// and their imports) the reader could not read, "" when it read them all:
// why a configurations set can come out empty.
func (f flakeOutputs) UnreadWhy() string { return UnreadWhyOf(f.h) }

// UnreadWhyOf says which modules of the module system h (a flake's
// mkFlake, or a fleet's own lib.evalModules) the reader could not read,
// its own files' first, "" when it read them all.
func UnreadWhyOf(h *modsys.Host) string {
	var own, inputs []string
	for _, u := range h.UnreadModules() {
		if strings.HasPrefix(u.Why, "module of flake input") {
			inputs = append(inputs, u.Note)
		} else {
			own = append(own, u.Note)
		}
	}
	// What stopped the reader in the fleet's own files first, then the
	// inputs' modules (which rarely define hosts).
	notes := append(append([]string(nil), own...), inputs...)
	if len(notes) == 0 {
		return ""
	}
	const shown = 2
	if len(notes) > shown {
		return strings.Join(notes[:shown], "; ") + "; and " + strconv.Itoa(len(notes)-shown) + " more"
	}
	return strings.Join(notes, "; ")
}

func (f flakeOutputs) Names() ([]string, bool) {
	names, ok := f.node().Names()
	if !ok {
		return nil, false
	}
	if liteOption(f.h) != "" {
		for _, n := range []string{"nixosConfigurations", "darwinConfigurations"} {
			found := false
			for _, x := range names {
				found = found || x == n
			}
			if !found {
				names = append(names, n)
			}
		}
	}
	return names, true
}
