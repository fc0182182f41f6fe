package nixeval

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/nixbuild-lint/nixbuild-lint/nixeval/lang"
)

// An input is known by what it is, not by its name: a fleet may call
// nixpkgs `unstable`, `stable`, `nixpkgs-2505` or `nixos`, flake-parts
// `parts` and nix-darwin `darwin`. What it is follows from where it comes
// from (flake.nix's url, or its type/owner/repo, or flake.lock's original
// or locked source); only an input with none of these is known by the
// names such inputs usually have.

// Kinds of inputs the reader knows.
const (
	kindNixpkgs        = "nixpkgs"
	kindDarwin         = "nix-darwin"
	kindHomeManager    = "home-manager"
	kindFlakeParts     = "flake-parts"
	kindSnowfall       = "snowfall-lib"
	kindDen            = "den"
	kindFlakeUtils     = "flake-utils"
	kindFlakeUtilsPlus = "flake-utils-plus"
	kindImportTree     = "import-tree"
	kindHaumea         = "haumea"
	kindBlueprint      = "blueprint"
	kindUnified        = "nixos-unified"
	kindClan           = "clan-core"
	kindColmena        = "colmena"
	kindGlobset        = "globset"
	kindSystems        = "nix-systems"
)

// knownRepos are the repositories (owner/repo, lower case) each kind is
// published as.
var knownRepos = map[string]string{
	"nixos/nixpkgs":                       kindNixpkgs,
	"nixos/nixpkgs-channels":              kindNixpkgs,
	"nix-community/nixpkgs.lib":           kindNixpkgs,
	"nixos/nixpkgs-lib":                   kindNixpkgs,
	"lnl7/nix-darwin":                     kindDarwin,
	"nix-darwin/nix-darwin":               kindDarwin,
	"nix-community/home-manager":          kindHomeManager,
	"rycee/home-manager":                  kindHomeManager,
	"hercules-ci/flake-parts":             kindFlakeParts,
	"snowfallorg/lib":                     kindSnowfall,
	"vic/den":                             kindDen,
	"denful/den":                          kindDen,
	"numtide/flake-utils":                 kindFlakeUtils,
	"gytis-ivaskevicius/flake-utils-plus": kindFlakeUtilsPlus,
	"vic/import-tree":                     kindImportTree,
	"denful/import-tree":                  kindImportTree,
	"nix-community/haumea":                kindHaumea,
	"numtide/blueprint":                   kindBlueprint,
	"srid/nixos-unified":                  kindUnified,
	"srid/nixos-flake":                    kindUnified, // its name until October 2024
	"clan/clan-core":                      kindClan,
	"clan-lol/clan-core":                  kindClan,
	"zhaofengli/colmena":                  kindColmena,
	"pdtpartners/globset":                 kindGlobset,
	"nix-systems/default":                 kindSystems,
	"nix-systems/default-linux":           kindSystems,
	"nix-systems/default-darwin":          kindSystems,
	"nix-systems/x86_64-linux":            kindSystems,
	"nix-systems/aarch64-linux":           kindSystems,
	"nix-systems/x86_64-darwin":           kindSystems,
	"nix-systems/aarch64-darwin":          kindSystems,
}

// systemsLists are the lists of systems the nix-systems repositories'
// default.nix hold (`import inputs.systems`; each repository is that one
// file, and a flake that exports nothing).
var systemsLists = map[string][]string{
	"default":        {"aarch64-darwin", "aarch64-linux", "x86_64-darwin", "x86_64-linux"},
	"default-linux":  {"aarch64-linux", "x86_64-linux"},
	"default-darwin": {"aarch64-darwin", "x86_64-darwin"},
	"x86_64-linux":   {"x86_64-linux"},
	"aarch64-linux":  {"aarch64-linux"},
	"x86_64-darwin":  {"x86_64-darwin"},
	"aarch64-darwin": {"aarch64-darwin"},
}

// registryIDs are the names of the global flake registry (indirect
// inputs: `url = "nixpkgs"`, `flake:flake-parts`).
var registryIDs = map[string]string{
	"nixpkgs":          kindNixpkgs,
	"nix-darwin":       kindDarwin,
	"home-manager":     kindHomeManager,
	"flake-parts":      kindFlakeParts,
	"flake-utils":      kindFlakeUtils,
	"flake-utils-plus": kindFlakeUtilsPlus,
}

// inputKind is what an input is, from its url ("" if unknown) or, with
// no url at all, its name.
func inputKind(name, url string) string {
	if url != "" {
		return urlKind(url)
	}
	switch name {
	case "nixpkgs", "nixpkgs-lib":
		return kindNixpkgs
	case "nix-darwin", "darwin":
		return kindDarwin
	case "home-manager":
		return kindHomeManager
	case "flake-parts", "parts":
		return kindFlakeParts
	case "snowfall-lib":
		return kindSnowfall
	case "den":
		return kindDen
	case "flake-utils", "utils":
		return kindFlakeUtils
	case "flake-utils-plus":
		return kindFlakeUtilsPlus
	case "import-tree":
		return kindImportTree
	case "haumea":
		return kindHaumea
	case "blueprint":
		return kindBlueprint
	case "nixos-unified", "nixos-flake":
		return kindUnified
	case "clan-core":
		return kindClan
	case "colmena":
		return kindColmena
	case "globset":
		return kindGlobset
	}
	return ""
}

// urlKind tells the kind of a flake reference: github:/gitlab:/sourcehut
// and git or tarball URLs of a known repository, nixos.org channel
// tarballs, FlakeHub tarballs, registry names.
func urlKind(url string) string {
	u := bareRef(url)
	if id, ok := strings.CutPrefix(u, "flake:"); ok {
		u = id
	}
	if k, ok := registryIDs[strings.SplitN(u, "/", 2)[0]]; ok && !strings.Contains(u, ":") {
		return k
	}
	// Channel tarballs: https://nixos.org/channels/nixos-25.05/nixexprs.tar.xz,
	// https://channels.nixos.org/nixos-unstable/nixexprs.tar.xz, and
	// releases.nixos.org.
	for _, host := range []string{"nixos.org/channels/", "channels.nixos.org/", "releases.nixos.org/"} {
		if strings.Contains(u, host) {
			return kindNixpkgs
		}
	}
	if strings.Contains(u, "flakehub.com/f/nixos/nixpkgs") {
		return kindNixpkgs
	}
	if owner, repo, ok := ownerRepo(u); ok {
		if k, ok := knownRepos[owner+"/"+repo]; ok {
			return k
		}
		// A fork keeps the project's name.
		for _, k := range []string{kindFlakeUtilsPlus, kindFlakeParts, kindFlakeUtils, kindImportTree, kindHaumea, kindUnified, kindClan, kindColmena, kindHomeManager, kindDarwin, kindSnowfall, kindDen} {
			if repo == k {
				return k
			}
		}
		if repo == "nixpkgs" {
			return kindNixpkgs
		}
	}
	return ""
}

// bareRef is a flake reference in lower case without its query or
// fragment.
func bareRef(url string) string {
	u := strings.ToLower(strings.TrimSpace(url))
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	return u
}

// ownerRepo is the owner and repository of a lower-case flake reference
// without its query (github:/gitlab:/sourcehut: and git or tarball URLs of
// the forges the kinds are published on).
func ownerRepo(u string) (owner, repo string, ok bool) {
	for _, p := range []string{"github:", "gitlab:", "sourcehut:", "git+https://", "git+ssh://", "git+http://", "https://", "http://", "tarball+https://", "git+file://"} {
		u = strings.TrimPrefix(u, p)
	}
	u = strings.TrimPrefix(u, "git@")
	for _, host := range []string{"github.com/", "github.com:", "gitlab.com/", "git.sr.ht/~", "codeberg.org/", "git.clan.lol/", "flakehub.com/f/"} {
		if i := strings.Index(u, host); i >= 0 {
			u = u[i+len(host):]
			break
		}
	}
	u = strings.TrimPrefix(u, "archive/")
	parts := strings.Split(u, "/")
	if len(parts) < 2 {
		return "", "", false
	}
	return parts[0], strings.TrimSuffix(parts[1], ".git"), true
}

// systemsList is the list `import` of a nix-systems input gives (nil for
// any other input).
func (in inputStandIn) systemsList() []string {
	if in.kind() != kindSystems {
		return nil
	}
	_, repo, _ := ownerRepo(bareRef(in.url))
	return systemsLists[repo]
}

// oldUnified tells a nixos-unified input known by its former name,
// nixos-flake (its name or its url).
func (in inputStandIn) oldUnified() bool {
	return in.name == "nixos-flake" || strings.Contains(strings.ToLower(in.url), "srid/nixos-flake")
}

// kind is what the input is.
func (in inputStandIn) kind() string { return inputKind(in.name, in.url) }

// flakeRef is the url of an input as flake.nix writes it: its url
// attribute, or its type/owner/repo (`{ type = "github"; owner = …; }`),
// when literal.
func flakeRef(ev *lang.Evaluator, ins *lang.Attrs, name string) string {
	if u := inputURL(ev, ins, name); u != "" {
		return u
	}
	at, ok := ins.Get(name)
	if !ok {
		return ""
	}
	in, ok := ev.Force(at.T).(*lang.Attrs)
	if !ok {
		return ""
	}
	str := func(k string) string {
		if a, ok := in.Get(k); ok {
			if s, ok := ev.Force(a.T).(*lang.Str); ok {
				return s.S
			}
		}
		return ""
	}
	typ, owner, repo := str("type"), str("owner"), str("repo")
	switch {
	case typ == "indirect" && str("id") != "":
		return "flake:" + str("id")
	case owner != "" && repo != "" && (typ == "github" || typ == "gitlab" || typ == "sourcehut"):
		return typ + ":" + owner + "/" + repo
	}
	return ""
}

// LockRef is a source of flake.lock (original or locked).
type LockRef struct {
	Type       string `json:"type"`
	ID         string `json:"id"`
	URL        string `json:"url"`
	Owner      string `json:"owner"`
	Repo       string `json:"repo"`
	Path       string `json:"path"`
	Rev        string `json:"rev"`
	Ref        string `json:"ref"`
	Host       string `json:"host"`
	NarHash    string `json:"narHash"`
	Submodules bool   `json:"submodules"`
}

// ref is the source as a flake reference ("" for none).
func (r LockRef) ref() string {
	switch {
	case r.Type == "indirect" && r.ID != "":
		return "flake:" + r.ID
	case r.Owner != "" && r.Repo != "":
		t := r.Type
		if t == "" {
			t = "github"
		}
		return t + ":" + r.Owner + "/" + r.Repo
	case r.URL != "":
		return r.URL
	}
	return r.Path
}

// url is where the node comes from: its original reference, or the
// locked one when only that tells what the input is (an indirect
// `nixpkgs` the registry resolved, a mirror's url).
func (l *LockFile) url(node string) string {
	n := l.Nodes[node]
	orig := n.Original.ref()
	if urlKind(orig) == "" {
		if locked := n.Locked.ref(); urlKind(locked) != "" {
			return locked
		}
	}
	return orig
}

// InputKind is what an input is, by its flake reference (or, without one,
// its name): "nixpkgs", "nix-darwin", "home-manager", "flake-parts",
// "snowfall-lib", "den", "flake-utils", "flake-utils-plus", "import-tree",
// … or "" for an input the reader knows nothing of.
func InputKind(name, url string) string { return inputKind(name, url) }

// LockedInputs are the root inputs of dir/flake.lock with their flake
// references (nil without a lock).
func LockedInputs(dir string) map[string]string {
	l := ReadLock(dir)
	if l == nil {
		return nil
	}
	out := map[string]string{}
	for name := range l.Nodes[l.Root].Inputs {
		if key, ok := l.Input(l.Root, name); ok {
			out[name] = l.url(key)
		}
	}
	return out
}

// realLibDir is the directory of nixpkgs' lib in a nixpkgs (or
// nixpkgs-lib) input whose source is in the store ("" otherwise). A
// path: input is known by its name.
func realLibDir(l *LockFile, key, name, url string) string {
	k := inputKind(name, url)
	if k == "" && (strings.HasPrefix(url, "path:") || strings.HasPrefix(url, "/")) {
		k = inputKind(name, "") // a local copy: known by its name
	}
	if k != kindNixpkgs {
		return ""
	}
	n, ok := l.Nodes[key]
	if !ok || n.Locked.NarHash == "" {
		return ""
	}
	dir, err := SourceStorePath(n.Locked.NarHash)
	if err != nil {
		return ""
	}
	lib := filepath.Join(dir, "lib")
	if st, err := os.Stat(filepath.Join(lib, "default.nix")); err != nil || st.IsDir() {
		return ""
	}
	return lib
}

// realLib is nixpkgs' real lib read from dir, once per evaluation; nil
// when it cannot be read.
func (in inputStandIn) realLib() *lang.Attrs {
	sess := sessionOf(in.ev)
	if v, ok := sess.realLibs[in.lib]; ok {
		return v
	}
	sess.realLibs[in.lib] = nil
	// The whole source is readable, not only lib/: lib/trivial.nix asks
	// pathExists ../.version-suffix, and an unknown answer there makes
	// lib.version, and every mkIf resting on it, unknown.
	sess.tree.Add(filepath.Dir(in.lib))
	e, _, err := sess.load(filepath.Join(in.lib, "default.nix"), lang.Span{})
	if err != nil {
		return nil
	}
	ev := in.ev
	lib, ok := ev.Force(ev.Delay(e, ev.Root)).(*lang.Attrs)
	if !ok || ev.Fatal != nil {
		ev.Fatal = nil
		return nil
	}
	// As nixpkgs' flake.nix does: lib.extend adds nixosSystem (here the
	// reader's, which evaluates hosts with its own module system), so a
	// fleet's own lib.extend keeps it.
	extend, ok := lib.Get("extend")
	if !ok {
		return nil
	}
	ours, ok := ev.Force(ev.Lib).(*lang.Attrs)
	if !ok {
		return nil
	}
	sys, ok := ours.Get("nixosSystem")
	if !ok {
		return nil
	}
	add := lang.NewAttrs()
	add.M["nixosSystem"] = sys
	overlay := lang.NewPrim("nixosSystem overlay", 2, func(*lang.Evaluator, []*lang.Thunk) lang.Value { return add })
	ext, ok := ev.Force(lang.Lazy(func() lang.Value { return ev.Call(ev.Force(extend.T), lang.ValThunk(overlay), lang.Span{}) })).(*lang.Attrs)
	if !ok || ev.Fatal != nil {
		ev.Fatal = nil
		return nil
	}
	sess.realLibs[in.lib] = ext
	return ext
}
