package modsys

import (
	"strings"

	"github.com/nixbuild-lint/nixbuild-lint/nixeval/lang"
)

// The options module argument is not read (declarations are not kept as
// NixOS keeps them), but whether NixOS (or nix-darwin) declares an option
// is known for the options the model reads and the few that frameworks
// test before they set them (flake-utils-plus' `options ? networking.domain`,
// `options ? nixpkgs.pkgs`, …). For those paths `options ? path` is true
// and options.<path> an option whose attributes are unknown; any other
// name is neither there nor missing (`?` unknown), as before.

// declaredOptions are the options a NixOS system (and, without the
// "nixos:" ones, a nix-darwin system) is known to declare.
var declaredOptions = map[string]string{
	"networking.hostName":                  "",
	"networking.domain":                    "nixos",
	"nixpkgs.pkgs":                         "",
	"nixpkgs.config":                       "",
	"nixpkgs.overlays":                     "",
	"nixpkgs.hostPlatform":                 "",
	"system.configurationRevision":         "",
	"nix.package":                          "",
	"nix.extraOptions":                     "",
	"nix.settings":                         "",
	"nix.buildMachines":                    "",
	"nix.distributedBuilds":                "",
	"boot.binfmt.emulatedSystems":          "nixos",
	"services.openssh.enable":              "",
	"users.users":                          "",
	"programs.ssh.extraConfig":             "",
	"virtualisation.rosetta.enable":        "nixos",
	"nix.linux-builder.enable":             "darwin",
	"environment.etc":                      "",
	"warnings":                             "",
	"assertions":                           "",
	"networking.hosts":                     "nixos",
	"services.openssh.settings":            "nixos",
	"services.openssh.extraConfig":         "",
	"services.openssh.authorizedKeysFiles": "nixos",
}

// optionsStandIn is the options argument at path (nil at the top). Once
// the host's modules are collected, the options they declare answer too
// (lib's mkRenamedOptionModule asks `options ? <its new path>`).
type optionsStandIn struct {
	h    *Host
	kind string
	path []string
}

func (o optionsStandIn) Get(name string) (*lang.Attr, bool) {
	full := append(append([]string(nil), o.path...), name)
	p := strings.Join(full, ".")
	for opt, only := range declaredOptions {
		if only != "" && only != o.kind {
			continue
		}
		switch {
		case opt == p:
			why := "options." + p + " cannot be read statically"
			return &lang.Attr{T: lang.ValThunk(&lang.Attrs{Dyn: lang.UnknownSet{Why: why + ":"}})}, true
		case strings.HasPrefix(opt, p+"."):
			return &lang.Attr{T: lang.ValThunk(&lang.Attrs{Dyn: optionsStandIn{o.h, o.kind, full}})}, true
		}
	}
	if o.h != nil && o.h.collected {
		decl, under := o.h.declLookup(full)
		switch {
		case decl != nil:
			return &lang.Attr{T: lang.ValThunk(&lang.Attrs{Dyn: lang.UnknownSet{Why: "options." + p + " cannot be read statically:"}})}, true
		case under:
			return &lang.Attr{T: lang.ValThunk(&lang.Attrs{Dyn: optionsStandIn{o.h, o.kind, full}})}, true
		}
	}
	return nil, false
}

// Names cannot be listed.
func (o optionsStandIn) Names() ([]string, bool) { return nil, false }

// Unlisted says why: NixOS's own option names are not known, so a name
// no module of the host declares may still be one of them.
func (o optionsStandIn) Unlisted() string {
	return strings.Join(append([]string{"options"}, o.path...), ".") +
		": the option names NixOS itself declares are not known to the static reader (only those the host's modules declare)"
}

// optionsArg is the options argument of h.
func optionsArg(h *Host) lang.Value {
	if h.Kind != "nixos" && h.Kind != "darwin" {
		return &lang.Unknown{Why: "options cannot be read statically"}
	}
	return &lang.Attrs{Dyn: optionsStandIn{h: h, kind: h.Kind}}
}
