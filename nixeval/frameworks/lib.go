// Package frameworks holds the static reader's own models of the flake
// frameworks real fleets use, one file each: flake-parts (with flake-utils,
// import-tree and the flake-level module system), haumea, blueprint,
// lite-config, nixos-unified, clan-core, colmena's makeHive and den. Each follows the framework's
// documentation (flake-parts, flake-utils and den are also checked against
// their real sources by the parity test); none copies its code. Lib gives
// the lib of an input that is one of them.
package frameworks

import "github.com/nixbuild-lint/nixbuild-lint/nixeval/lang"

// Lib is the lib of a framework the reader models, by name
// (flake-parts, flake-utils, haumea, nixos-unified, clan-core); input is
// the input itself.
func Lib(name string, input *lang.Thunk) *lang.Attrs {
	fw := lang.NewAttrs()
	switch name {
	case "flake-parts":
		fw.Set("mkFlake", mkFlakePrim())
		fw.Set("importApply", importApplyPrim())
	case "flake-utils":
		for name, arity := range map[string]int{"eachDefaultSystem": 1, "eachDefaultSystemPassThrough": 1, "eachDefaultSystemMap": 1, "eachSystem": 2, "eachSystemPassThrough": 2, "eachSystemMap": 2} {
			fw.Set(name, eachSystemPrim(name, arity))
		}
		systems := []string{"aarch64-linux", "aarch64-darwin", "x86_64-darwin", "x86_64-linux"}
		l := &lang.List{}
		sys := lang.NewAttrs()
		for _, s := range systems {
			l.Elems = append(l.Elems, lang.ValThunk(lang.StrV(s)))
			sys.Set(s, lang.StrV(s))
		}
		fw.Set("defaultSystems", l)
		fw.Set("allSystems", l)
		fw.Set("system", sys)
	case "haumea":
		fw = haumeaFns()
	case "nixos-unified":
		fw.Set("mkFlake", unifiedMkFlake())
	case "colmena":
		fw.Set("makeHive", makeHivePrim())
	case "globset":
		fw.Set("globs", globsPrim())
	case "clan-core":
		fw.Set("clan", clanPrim(input))
		fw.Set("buildClan", clanPrim(input))
	}
	return fw
}
