package nixeval

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nixbuild-lint/nixbuild-lint/nixeval/lang"
)

// nixAndRealLib is nix-instantiate and the real nixpkgs lib of
// ../shared/vendor (the test fails without Nix and is skipped without the
// vendored lib).
func nixAndRealLib(t *testing.T) (nix, vendor string) {
	t.Helper()
	nix, err := exec.LookPath("nix-instantiate")
	if err != nil {
		t.Fatal("nix-instantiate not found: install nix-bin (scripts/test.sh does)")
	}
	vendor, _ = filepath.Abs("../../shared/vendor/nixpkgs-lib")
	if _, err := os.Stat(vendor); err != nil {
		t.Skip("needs the real nixpkgs lib in ../shared/vendor, absent here")
	}
	return nix, vendor
}

// TestLibParity: functions of the reader's lib (lib.nix) give what the real
// nixpkgs lib gives (nix-instantiate --eval --strict on
// ../shared/vendor/nixpkgs-lib): overlays composed, function arguments
// through __functor, lib.modules' priorities, lib.trivial's helpers.
func TestLibParity(t *testing.T) {
	nix, vendor := nixAndRealLib(t)
	cases := []string{
		`let l = (lib.makeExtensible (self: { a = 1; })).extend (lib.composeManyExtensions [ (final: prev: { b = prev.a + 1; }) (final: prev: { c = prev.b + 1; a = 10; }) ]); in { inherit (l) a b c; }`,
		`(lib.fix (lib.extends (lib.composeExtensions (final: prev: { x = prev.x + 1; }) (final: prev: { y = final.x * 2; })) (self: { x = 1; })))`,
		`builtins.length (builtins.attrNames (lib.composeManyExtensions [ ] { } { a = 1; }))`,
		`lib.trivial.functionArgs ({ a, b ? 1, ... }: a)`,
		// den fleets forward every aspect of a host for each class.
		`[ (lib.cartesianProduct { b = [ 1 2 ]; a = [ "x" "y" ]; }) (builtins.length (lib.cartesianProduct { })) (builtins.length (lib.cartesianProduct { a = [ ]; b = [ 1 ]; })) (lib.mapCartesianProduct ({ a, b }: a + b) { a = [ 1 ]; b = [ 10 20 ]; }) ]`,
		// lib.types has no lib function: under with lib.types they are lib's
		// (sops-nix's templates module, optionalAttrs).
		`with lib; with lib.types; [ (optionalAttrs true { a = 1; }) (mkIf true 2).condition (concatStringsSep "," [ "x" "y" ]) ]`,
		`lib.functionArgs (lib.setFunctionArgs (x: x) { p = false; })`,
		`lib.functionArgs { __functor = self: { q ? 2 }: q; }`,
		`[ (lib.isFunction { __functor = self: x: x; }) (lib.isFunction 1) (lib.trivial.isFunction (x: x)) ]`,
		`(lib.mirrorFunctionArgs ({ a }: a) (args: args.a)) { a = 3; }`,
		`[ ((lib.toFunction 5) 1) ((lib.toFunction (x: x + 1)) 1) ]`,
		`[ (lib.trivial.min 3 4) (lib.trivial.max 3 4) (lib.trivial.mod 7 3) (lib.trivial.mod (-7) 3) (lib.trivial.compare 1 2) (lib.trivial.compare "b" "a") (lib.trivial.compare 2 2) ]`,
		`[ (lib.trivial.boolToString true) (lib.trivial.boolToYesNo false) (lib.trivial.defaultTo 1 null) (lib.trivial.defaultTo 1 2) (lib.trivial.mapNullable (x: x + 1) null) (lib.trivial.mapNullable (x: x + 1) 1) ]`,
		`[ (lib.trivial.concat [ 1 ] [ 2 ]) (lib.trivial.and true false) (lib.trivial.or false true) (lib.trivial.xor true true) (lib.trivial.mergeAttrs { a = 1; } { b = 2; }) ]`,
		`[ (lib.trivial.throwIf false "no" 1) (lib.trivial.throwIfNot true "no" 2) (lib.trivial.warnIf false "w" 3) ]`,
		`builtins.mapAttrs (n: v: v.priority or v.content or null) { d = lib.modules.mkDefault 1; f = lib.modules.mkForce 1; o = lib.modules.mkOptionDefault 1; v = lib.modules.mkVMOverride 1; i = lib.modules.mkImageMediaOverride 1; }`,
		`lib.callPackageWith { a = 1; b = 2; } ({ a, c ? 3 }: a + c) { }`,
		`lib.customisation.callPackageWith { a = 1; b = 2; } ({ a, b, ... }: [ a b ]) { b = 5; }`,
		`[ (lib.modules.mkBefore 1).priority (lib.modules.mkAfter 1).priority (lib.mkDefault 1).priority ]`,
		`[ (lib.path.removePrefix /a /a/b/c) (lib.path.removePrefix /a /a) (builtins.tryEval (lib.path.removePrefix /a /ab)).success ]`,
		// Packages and search paths, on derivation-like sets.
		`let d = { type = "derivation"; name = "hello-2.12"; pname = "hello"; outPath = "/nix/store/a-hello-2.12"; meta.mainProgram = "hi"; bin = { outPath = "/nix/store/b-hello-bin"; }; }; in [ (lib.getExe d) (lib.getExe' d "hello-x") (lib.isDerivation d) (lib.isDerivation { }) (lib.getName d) (lib.getName "foo-1.2") (lib.makeBinPath [ d { outPath = "/p"; } ]) (lib.makeLibraryPath [ d ]) (lib.meta.getExe d) (lib.getBin d).outPath ]`,
		`[ (lib.escapeShellArg "abc") (lib.escapeShellArg "it's here") (lib.escapeShellArg "a b") (lib.escapeShellArg "/x/y-z.1,2+3:@%") (lib.escapeShellArgs [ "a" "b c" "d'e" ]) (lib.escapeShellArg 3) (lib.strings.escapeShellArg "") ]`,
		`[ (lib.toInt "42") (lib.toInt " 7 ") (lib.toInt "-3") (lib.toInt "0") (builtins.tryEval (lib.toInt "012")).success (builtins.tryEval (lib.toInt "1.5")).success (lib.strings.toInt "10") ]`,
		`[ (lib.trim "  a b 
") (lib.trim "") (lib.trim " 	 ") (lib.trim "x") (lib.strings.trim "
 a	b ") ]`,
		`[ (lib.genAttrs' [ "a" "b" ] (n: lib.nameValuePair "x-${n}" n)) (lib.stringToCharacters "abc") (lib.concatMapAttrsStringSep ", " (n: v: "${n}=${v}") { b = "2"; a = "1"; }) (lib.getAttrs [ "a" ] { a = 1; b = 2; }) (lib.zipAttrs [ { a = 1; } { a = 2; b = 3; } ]) ]`,
		// recursiveUpdate of a fleet's identifiers with its package sets
		// (testdata/configs/recursive-update-pkgs, here with sets Nix can list).
		`(lib.recursiveUpdate { x = { identifier = "x-unstable"; system = "x"; }; y.identifier = "y"; } { x = { lib = 1; hello = 2; }; z = 3; })`,
		`lib.mapAttrsRecursive (path: v: lib.concatStringsSep "." path + "=" + toString v) { a = { b = 1; c.d = 2; }; e = 3; }`,
		`lib.mapAttrsRecursiveCond (s: !(s ? stop)) (path: v: builtins.length path) { a = { stop = 1; }; b.c = 2; }`,
		`[ lib.fakeHash lib.fakeSha256 ]`,
		// A function against a value of another type is false, not unknown
		// (a fleet's mapFilterAttrs keeps modules by v != null).
		`[ ((x: x) == null) (null != (x: x)) (builtins.add == 1) ((x: x) == true) ({ } == (x: x)) ("f" == (x: x)) (builtins.attrNames (lib.filterAttrs (n: v: v != null) { a = x: x; b = null; c = { }; })) ]`,
		// A package set from a directory (callPackage records what it was called with).
		`builtins.mapAttrs (n: v: if v ? file then baseNameOf v.file else builtins.mapAttrs (_: w: baseNameOf w.file) v) (lib.packagesFromDirectoryRecursive { callPackage = file: args: { inherit file; }; directory = ` + "@PKGS@" + `; })`,
		`(lib.filesystem.packagesFromDirectoryRecursive { callPackage = file: args: { inherit file; }; directory = ` + "@PKGS@" + `/tool; }).file == ` + "@PKGS@" + `/tool/package.nix`,
		// A deferredModule defined by two sibling modules, imported by
		// another evaluation: its list in Nix's order.
		`let m = (lib.evalModules { modules = [ { options.m = lib.mkOption { type = lib.types.deferredModule; }; } { imports = [ { m.l = [ "a" ]; } { m.l = [ "b" ]; } ]; } ]; }).config.m; in (lib.evalModules { modules = [ { options.l = lib.mkOption { type = lib.types.listOf lib.types.str; }; } m ]; }).config.l`,
	}
	runLibCases(t, nix, vendor, cases)
}

// runLibCases evaluates each case with the reader's lib and with the real
// one and compares what they print; @PKGS@ is a directory of a few files
// (hello.nix, README.md, tool/{package,helper}.nix, group/{a,b}.nix).
func runLibCases(t *testing.T, nix, vendor string, cases []string) {
	t.Helper()
	pkgs := t.TempDir()
	for _, f := range []string{"hello.nix", "README.md", "tool/package.nix", "tool/helper.nix", "group/a.nix", "group/b.nix"} {
		p := filepath.Join(pkgs, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("{ }: { }\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range cases {
		c = strings.ReplaceAll(c, "@PKGS@", pkgs)
		v, ev := evalTextIn(t, pkgs, c)
		got := show(ev, v)
		cmd := exec.Command(nix, "--eval", "--strict", "--expr", "let lib = import "+vendor+"/lib; in "+c)
		cmd.Env = append(os.Environ(), "NIX_PATH=")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: nix: %v\n%s", c, err, out)
		}
		if want := nixUnescape(strings.TrimSpace(string(out))); got != want {
			t.Errorf("%s\n reader %s\n    nix %s", c, got, want)
		}
	}
}

// nixUnescape undoes the escapes nix-instantiate prints in strings (\\,
// \", \n, \t, \r, \${), as show prints strings raw.
func nixUnescape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			switch s[i] {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			default:
				b.WriteByte(s[i])
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// TestWrongOperandsWhy: what l op r cannot be says why: an operand's own
// unknown (also a set's unknown outPath: the package of an input without
// source), else the kinds of the operands.
func TestWrongOperandsWhy(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{`{ } + "/nixos/lib/eval-config.nix"`, "set + string: operands of the wrong type"},
		{`[ 1 ] - 2`, "list - int: operands of the wrong type"},
		{`builtins.add true 1`, "bool + int: operands of the wrong type"},
		{`{ outPath = builtins.getEnv "SRC"; } + "/x"`, `builtins.getEnv "SRC" (the environment of the evaluation; --impure reads it)`},
	} {
		v, _ := evalText(t, c.src)
		u, ok := v.(*lang.Unknown)
		if !ok || u.Why != c.want {
			t.Errorf("%s: %#v, want unknown %q", c.src, v, c.want)
		}
	}
}

// TestRealLibApplyReadsOwnOption: an option whose apply tests its own
// option's isDefined (flake-parts' processedFlake does), on nixpkgs' real
// lib, gives what Nix gives. Before `?` was lazy, lib's evalOptionValue
// (opt ? apply) forced that apply while the option was being computed:
// unknown.
func TestRealLibApplyReadsOwnOption(t *testing.T) {
	nix, vendor := nixAndRealLib(t)
	root := t.TempDir()
	if out, err := exec.Command("cp", "-r", vendor, filepath.Join(root, "nixpkgs-lib")).CombinedOutput(); err != nil {
		t.Fatalf("%v %s", err, out)
	}
	for _, def := range []string{"", `config.name = "v";`} {
		expr := `(lib.evalModules { modules = [ ({ options, ... }: { options.name = lib.mkOption { type = lib.types.raw; readOnly = true; apply = if options.name.isDefined then x: x else x: "inv"; }; ` + def + ` }) ]; }).config.name`
		v, ev := evalTextIn(t, root, "let lib = import ./nixpkgs-lib/lib; in "+expr)
		got := show(ev, v)
		cmd := exec.Command(nix, "--eval", "--strict", "--expr", "let lib = import "+vendor+"/lib; in "+expr)
		cmd.Env = append(os.Environ(), "NIX_PATH=")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("nix: %v\n%s", err, out)
		}
		if want := strings.TrimSpace(string(out)); got != want {
			t.Errorf("%s\n reader %s\n    nix %s", expr, got, want)
		}
	}
}

// TestGetExeOfPackageWhy: lib.getExe of a package of pkgs (known to exist,
// never built) is unknown and says so (was: attribute getExe missing).
func TestGetExeOfPackageWhy(t *testing.T) {
	r := NewReader(t.TempDir())
	ev := lang.NewEvaluator(newSession(r, true))
	if err := loadLib(ev); err != nil {
		t.Fatal(err)
	}
	pkgs := lang.NewAttrs()
	pkgs.Set("hello", &lang.Drv{Name: "hello"})
	for _, c := range []struct{ src, want string }{
		{`lib.getExe pkgs.hello`, "the store path of package hello.bin (the static reader builds no packages)"},
		{`lib.makeBinPath [ pkgs.hello ]`, "the store path of package hello.bin (the static reader builds no packages)"},
	} {
		src := lang.NewSource(r.Root+"/test.nix", "test.nix", []byte(c.src))
		e, err := lang.ParseRange(src, 0, len(src.Data))
		if err != nil {
			t.Fatal(err)
		}
		v := ev.Eval(e, lang.NewEnv(ev.Root, map[string]*lang.Thunk{"lib": ev.Lib, "pkgs": lang.ValThunk(pkgs)}))
		if u, ok := v.(*lang.Unknown); !ok || u.Why != c.want {
			t.Errorf("%s: %#v, want unknown %q", c.src, v, c.want)
		}
	}
}

// TestLibParityGenerators: lib.generators, lib.versions, lib.sources and
// lib.meta's priorities of the reader's lib give what the real nixpkgs lib
// gives on the same values.
func TestLibParityGenerators(t *testing.T) {
	nix, vendor := nixAndRealLib(t)
	cases := []string{
		`lib.generators.toINI { } { main = { port = 22; name = "x"; on = true; off = false; n = null; }; "a[b]" = { "k=v" = "s"; }; }`,
		`lib.generators.toINI { listsAsDuplicateKeys = true; } { s = { k = [ 1 "two" ]; j = 3; }; }`,
		`lib.generators.toINI { mkSectionName = n: "<${n}>"; mkKeyValue = lib.generators.mkKeyValueDefault { } " = "; } { z = { a = 1; }; y = { }; }`,
		`lib.generators.toINIWithGlobalSection { } { globalSection = { g = 1; }; sections = { s.k = "v"; }; }`,
		`lib.generators.toINIWithGlobalSection { } { globalSection = { }; }`,
		`[ (lib.generators.toKeyValue { } { a = 1; "b=c" = "d"; }) (lib.generators.toKeyValue { indent = "  "; mkKeyValue = lib.generators.mkKeyValueDefault { } ": "; } { x = true; }) (lib.generators.toKeyValue { listsAsDuplicateKeys = true; } { l = [ 1 2 ]; m = 3; }) ]`,
		`[ (lib.generators.mkKeyValueDefault { } ":" "f:oo" "bar") (lib.generators.mkKeyValueDefault { mkValueString = v: "<${toString v}>"; } "=" "k" 5) ]`,
		`map (lib.generators.mkValueStringDefault { }) [ 1 "s" true false null ]`,
		`lib.generators.toGitINI { user = { name = "N \"q\"\tx"; email = "e@x"; }; url."ssh://git@github.com/".insteadOf = "https://github.com/"; "includeIf \"gitdir:~/w/\"".path = "~/w.inc"; core.autocrlf = false; a.b.c.d = [ 1 2 ]; }`,
		`[ (lib.generators.toJSON { } { a = [ 1 "x" null ]; }) (lib.generators.toYAML { } { b = true; }) ]`,
		`lib.generators.toPretty { } { a = 1; b = [ "x" true null ]; "c d" = { }; e = [ ]; f = "l1\nl2"; g = "q\"\${x}"; "if" = 2; h = { a, b ? 1 }: a; i = x: x; }`,
		`lib.generators.toPretty { multiline = false; } { a = [ 1 2 ]; s = "a\nb"; p = { type = "derivation"; name = "p"; }; }`,
		`lib.generators.toPretty { allowPrettyValues = true; indent = "    "; } [ { __pretty = v: "P${toString v}"; val = 3; } "x''\${y}\n" ]`,
		`[ (lib.versions.major "1.2.3") (lib.versions.minor "1.2.3") (lib.versions.patch "1.2.3") (lib.versions.majorMinor "1.2.3") (lib.versions.majorMinor "5") (lib.versions.splitVersion "1.2pre3-rc") ]`,
		`[ (lib.versions.pad 3 "1.2") (lib.versions.pad 3 "1.3-rc1") (lib.versions.pad 3 "1.2.3.4") (lib.versions.pad 1 "7") (lib.versions.pad 2 "") ]`,
		`[ (lib.versionAtLeast "24.05" "23.11") (lib.versionAtLeast "1.0" "1.0") (lib.versionAtLeast "1.0pre" "1.0") (lib.versionOlder "1.2" "1.10") (lib.versionOlder "2" "2") (lib.strings.versionOlder "2.0" "10") ]`,
		`lib.systems.flakeExposed`,
		`let p = { type = "derivation"; name = "p"; meta.description = "d"; }; in [ (lib.hiPrio p).meta (lib.lowPrio p).meta.priority (lib.meta.hiPrio { name = "q"; }).meta (lib.meta.lowPrio p).name ]`,
		`[ (lib.cleanSourceFilter "/a/.git" "directory") (lib.cleanSourceFilter "/a/.git" "regular") (lib.cleanSourceFilter "/a/.hg" "directory") (lib.cleanSourceFilter "/a/.hg" "regular") (lib.cleanSourceFilter "/a/x~" "regular") (lib.cleanSourceFilter "/a/.x.swp" "regular") (lib.cleanSourceFilter "/a/.swp" "regular") (lib.cleanSourceFilter "/a/m.o" "regular") (lib.cleanSourceFilter "/a/result-1" "symlink") (lib.cleanSourceFilter "/a/result" "regular") (lib.cleanSourceFilter "/a/s" "unknown") (lib.cleanSourceFilter "/a/b.nix" "regular") ]`,
		`let s = lib.cleanSource @PKGS@; in [ (s.origSrc == @PKGS@) s._isLibCleanSourceWith s.name (s.filter "/x/.git" "directory") (s.filter "/x/a" "regular") ]`,
		`let s = lib.sourceByRegex (lib.cleanSourceWith { src = @PKGS@; name = "n"; filter = p: t: baseNameOf p != "b.nix"; }) [ "group" "group/.*\\.nix" "hello.nix" ]; in [ s.name (s.origSrc == @PKGS@) (map (f: s.filter (toString @PKGS@ + "/" + f) "regular") [ "hello.nix" "group" "group/a.nix" "group/b.nix" "README.md" "tool" ]) ]`,
		`let s = lib.sourceFilesBySuffices @PKGS@ [ ".nix" ".md" ]; in map (f: s.filter f "regular") [ "/x/a.nix" "/x/READ.md" "/x/c.txt" ] ++ [ (s.filter "/x/d" "directory") (lib.sources.cleanSource s).name ]`,
	}
	runLibCases(t, nix, vendor, cases)
}

// TestLibDataUnknown: nixpkgs' tables the reader's lib does not keep
// (lib.maintainers, licenses, platforms, systems but flakeExposed) are
// unknown by name, saying so; lib.hiPrio of a package of pkgs is that
// package.
func TestLibDataUnknown(t *testing.T) {
	r := NewReader(t.TempDir())
	ev := lang.NewEvaluator(newSession(r, true))
	if err := loadLib(ev); err != nil {
		t.Fatal(err)
	}
	pkgs := lang.NewAttrs()
	pkgs.Set("hello", &lang.Drv{Name: "hello"})
	eval := func(src string) lang.Value {
		s := lang.NewSource(r.Root+"/test.nix", "test.nix", []byte(src))
		e, err := lang.ParseRange(s, 0, len(s.Data))
		if err != nil {
			t.Fatal(err)
		}
		return ev.Force(lang.ValThunk(ev.Eval(e, lang.NewEnv(ev.Root, map[string]*lang.Thunk{"lib": ev.Lib, "pkgs": lang.ValThunk(pkgs)}))))
	}
	const tail = ": in nixpkgs' lib, not in the reader's own (nixpkgs' source is not in the store)"
	for _, c := range []struct{ src, want string }{
		{`lib.maintainers.alice`, "lib.maintainers.alice" + tail},
		{`builtins.head (with lib.maintainers; [ bob ])`, "lib.maintainers.bob" + tail},
		{`lib.licenses.mit.free`, "lib.licenses.mit" + tail},
		{`lib.platforms.linux`, "lib.platforms.linux" + tail},
		{`lib.systems.elaborate "x86_64-linux"`, "lib.systems.elaborate" + tail},
		{`lib.teams.x`, "lib.teams.x" + tail},
	} {
		if u, ok := eval(c.src).(*lang.Unknown); !ok || u.Why != c.want {
			t.Errorf("%s: %#v, want unknown %q", c.src, eval(c.src), c.want)
		}
	}
	for _, src := range []string{`lib.hiPrio pkgs.hello`, `lib.lowPrio pkgs.hello`, `lib.meta.hiPrio pkgs.hello`} {
		if d, ok := eval(src).(*lang.Drv); !ok || d.Name != "hello" {
			t.Errorf("%s: %#v, want package hello", src, eval(src))
		}
	}
}

// TestToStringOfPathString: toString of a string made from a path of the
// tree is that string, still naming the file (a fleet's mapModulesRec'
// builds "${toString dir}/${n}/default.nix" from "${./modules}/${k}"):
// pathExists answers as Nix does, true for the file and false beside it
// (was unknown, "pathExists on a path outside the tree", and the host's
// imports unknown: InfinityGhost/nixos-workstation).
func TestToStringOfPathString(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "m/sub/deep"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "m/sub/deep/default.nix"), []byte("{ }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	src := `let d = "${./m}/sub"; in [ (builtins.pathExists "${toString d}/deep/default.nix") (builtins.pathExists (toString "${d}/deep/none.nix")) (builtins.attrNames (builtins.readDir (toString d))) ]`
	v, ev := evalTextIn(t, root, src)
	if got, want := show(ev, v), `[ true false [ "deep" ] ]`; got != want {
		t.Errorf("%s\n got %s\nwant %s", src, got, want)
	}
}
