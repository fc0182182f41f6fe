# The part of nixpkgs' lib that NixOS configurations use, written for the
# static reader. Module properties keep nixpkgs' shapes (_type = "if", ...),
# so the module system reads them the way NixOS does. The reader passes its
# own nixosSystem, darwinSystem and option types.
{ __nblNixosSystem, __nblDarwinSystem, __nblTypes, __nblEvalModules, __nblFileset, __nblData, __nblIsPackage }:
let
  b = builtins;
  id = x: x;
  const = x: _: x;
  flip = f: a: c: f c a;
  foldr = op: nul: list:
    let len = b.length list;
        fold = n: if n == len then nul else op (b.elemAt list n) (fold (n + 1));
    in fold 0;
  foldl = op: nul: list: b.foldl' op nul list;
  foldlAttrs = f: init: set: b.foldl' (acc: name: f acc name set.${name}) init (b.attrNames set);
  # Each name of any set in the list, its values folded from the right.
  foldAttrs = op: nul: sets: genAttrs (unique (b.concatMap b.attrNames sets)) (name: foldr (s: acc: if s ? ${name} then op s.${name} acc else acc) nul sets);
  makeOverridable = f: args: f args;
  # fn (a function or a file) called with the arguments it names that
  # autoArgs has, then args; one it needs that neither gives stops it, as in
  # nixpkgs. The result has no .override.
  callPackageWith = autoArgs: fn: args:
    let
      f = if b.isFunction fn || fn ? __functor then fn else import fn;
      fargs = if f ? __functor then f.__functionArgs or (b.functionArgs (f.__functor f)) else b.functionArgs f;
      allArgs = b.intersectAttrs fargs autoArgs // args;
      missing = b.filter (n: !fargs.${n}) (b.attrNames (b.removeAttrs fargs (b.attrNames allArgs)));
    in
    if missing == [ ] then makeOverridable f allArgs
    else b.throw "lib.callPackageWith: function called without required argument '${b.head missing}'";
  optional = cond: x: if cond then [ x ] else [ ];
  optionals = cond: xs: if cond then xs else [ ];
  optionalString = cond: s: if cond then s else "";
  optionalAttrs = cond: as: if cond then as else { };
  nameValuePair = name: value: { inherit name value; };
  genAttrs = names: f: b.listToAttrs (map (n: nameValuePair n (f n)) names);
  mapAttrs' = f: set: b.listToAttrs (map (n: f n set.${n}) (b.attrNames set));
  mapAttrsToList = f: set: map (n: f n set.${n}) (b.attrNames set);
  attrsToList = set: mapAttrsToList nameValuePair set;
  filterAttrs = pred: set: b.listToAttrs (b.concatMap (n: let v = set.${n}; in if pred n v then [ (nameValuePair n v) ] else [ ]) (b.attrNames set));
  concatMapAttrs = f: set: foldl (acc: x: acc // x) { } (mapAttrsToList f set);
  recursiveUpdateUntil = pred: lhs: rhs:
    let f = attrPath: b.zipAttrsWith (n: values:
      let here = attrPath ++ [ n ]; in
      if b.length values == 1 || pred here (b.elemAt values 1) (b.head values)
      then b.head values else f here values);
    in f [ ] [ rhs lhs ];
  recursiveUpdate = lhs: rhs: recursiveUpdateUntil (path: lhs: rhs: !(b.isAttrs lhs && b.isAttrs rhs)) lhs rhs;
  attrByPath = attrPath: default: set:
    if attrPath == [ ] then set
    else let n = b.head attrPath; in
      if b.isAttrs set && set ? ${n} then attrByPath (b.tail attrPath) default set.${n} else default;
  getAttrFromPath = attrPath: set: attrByPath attrPath (b.throw "attribute missing") set;
  setAttrByPath = attrPath: value:
    if attrPath == [ ] then value
    else { ${b.head attrPath} = setAttrByPath (b.tail attrPath) value; };
  hasAttrByPath = attrPath: set:
    if attrPath == [ ] then true
    else let n = b.head attrPath; in b.isAttrs set && set ? ${n} && hasAttrByPath (b.tail attrPath) set.${n};
  flatten = x: if b.isList x then b.concatMap flatten x else [ x ];
  # Every set that takes one value of each list of sets.<name>, the first
  # name (in attrNames order) varying slowest.
  cartesianProduct = sets: b.foldl' (acc: n: b.concatMap (partial: b.map (v: partial // { ${n} = v; }) sets.${n}) acc) [ { } ] (b.attrNames sets);
  mapCartesianProduct = f: sets: b.map f (cartesianProduct sets);
  unique = foldl (acc: e: if b.elem e acc then acc else acc ++ [ e ]) [ ];
  last = list: b.elemAt list (b.length list - 1);
  init = list: b.genList (i: b.elemAt list i) (b.length list - 1);
  take = n: list: b.genList (i: b.elemAt list i) (if n < b.length list then n else b.length list);
  drop = n: list: b.genList (i: b.elemAt list (i + n)) (if n < b.length list then b.length list - n else 0);
  range = first: lastN: if first > lastN then [ ] else b.genList (n: first + n) (lastN - first + 1);
  imap0 = f: list: b.genList (n: f n (b.elemAt list n)) (b.length list);
  imap1 = f: list: b.genList (n: f (n + 1) (b.elemAt list n)) (b.length list);
  remove = e: b.filter (x: x != e);
  subtractLists = e: b.filter (x: !(b.elem x e));
  intersectLists = e: b.filter (x: b.elem x e);
  findFirst = pred: default: list: let found = b.filter pred list; in if found == [ ] then default else b.head found;
  count = pred: list: b.length (b.filter pred list);
  reverseList = xs: let l = b.length xs; in b.genList (n: b.elemAt xs (l - n - 1)) l;
  toList = x: if b.isList x then x else [ x ];
  singleton = x: [ x ];
  hasPrefix = pref: str: b.substring 0 (b.stringLength pref) str == pref;
  hasSuffix = suffix: content:
    let lenC = b.stringLength content; lenS = b.stringLength suffix;
    in lenC >= lenS && b.substring (lenC - lenS) lenC content == suffix;
  hasInfix = infix: content: b.match ".*${escapeRegex infix}.*" "${content}" != null;
  escapeRegex = b.replaceStrings [ "\\" "[" "]" "{" "}" "(" ")" "^" "$" "*" "+" "?" "." "|" ] [ "\\\\" "\\[" "\\]" "\\{" "\\}" "\\(" "\\)" "\\^" "\\$" "\\*" "\\+" "\\?" "\\." "\\|" ];
  removePrefix = prefix: str: if hasPrefix prefix str then b.substring (b.stringLength prefix) (b.stringLength str) str else str;
  removeSuffix = suffix: str: if hasSuffix suffix str then b.substring 0 (b.stringLength str - b.stringLength suffix) str else str;
  splitString = sep: s: b.filter b.isString (b.split (escapeRegex sep) s);
  concatStrings = b.concatStringsSep "";
  concatMapStrings = f: list: concatStrings (map f list);
  concatMapStringsSep = sep: f: list: b.concatStringsSep sep (map f list);
  concatLines = list: concatStrings (map (s: s + "\n") list);
  toLower = b.replaceStrings [ "A" "B" "C" "D" "E" "F" "G" "H" "I" "J" "K" "L" "M" "N" "O" "P" "Q" "R" "S" "T" "U" "V" "W" "X" "Y" "Z" ] [ "a" "b" "c" "d" "e" "f" "g" "h" "i" "j" "k" "l" "m" "n" "o" "p" "q" "r" "s" "t" "u" "v" "w" "x" "y" "z" ];
  toUpper = b.replaceStrings [ "a" "b" "c" "d" "e" "f" "g" "h" "i" "j" "k" "l" "m" "n" "o" "p" "q" "r" "s" "t" "u" "v" "w" "x" "y" "z" ] [ "A" "B" "C" "D" "E" "F" "G" "H" "I" "J" "K" "L" "M" "N" "O" "P" "Q" "R" "S" "T" "U" "V" "W" "X" "Y" "Z" ];
  mkOverride = priority: content: { _type = "override"; inherit priority content; };
  mkOrder = priority: content: { _type = "order"; inherit priority content; };
  mkIf = condition: content: { _type = "if"; inherit condition content; };
  mkMerge = contents: { _type = "merge"; inherit contents; };
  mkOption = attrs: attrs // { _type = "option"; };
  mkEnableOption = name: { _type = "option"; default = false; description = name; };
  mkPackageOption = pkgs: name: extra: { _type = "option"; default = pkgs.${if b.isList name then b.head name else name} or null; };
  # The option helpers of lib.modules, as modules of the same effect on
  # config: a rename forwards every definition of `from`, with its priority
  # and conditions, to `to` (the reader's __nblDefinitionsOf stands for
  # options.<from>.definitions); a removed option defines nothing; a merged
  # or changed one gives `to` what its function makes of config when one of
  # `from` is defined (their options default to a marker, as in nixpkgs).
  doRename = { from, to, withPriority ? true, condition ? true, ... }:
    { __nblDefinitionsOf, ... }: {
      config = mkIf condition (setAttrByPath to (__nblDefinitionsOf from));
    };
  mkRenamedOptionModule = from: to: doRename { inherit from to; };
  mkRenamedOptionModuleWith = { from, to, sinceRelease }: doRename { inherit from to; };
  mkAliasOptionModule = from: to: doRename { inherit from to; };
  mkAliasOptionModuleMD = mkAliasOptionModule;
  mkRemovedOptionModule = optionName: replacementInstructions: { };
  mkMergedOptionModule = from: to: mergeFn: { config, ... }: {
    options = foldl (acc: path: recursiveUpdate acc (setAttrByPath path (mkOption { default = "_mkMergedOptionModule"; }))) { } from;
    config = setAttrByPath to (mkMerge (optional (b.any (f: getAttrFromPath f config != "_mkMergedOptionModule") from) (mergeFn config)));
  };
  mkChangedOptionModule = from: to: changeFn: mkMergedOptionModule [ from ] to changeFn;
  mkAliasDefinitions = option: option;
  setDefaultModuleLocation = file: m: { _file = file; imports = [ m ]; };
  importApply = modulePath: staticArg: setDefaultModuleLocation modulePath (import modulePath staticArg);
  literalExpression = text: { _type = "literalExpression"; inherit text; };
  mdDoc = id;
  pipe = b.foldl' (x: f: f x);
  # Packages (a pkgs attribute is known to exist, its store path is not):
  # what lib.meta and lib.strings say of derivations and search paths.
  isDerivation = v: b.isAttrs v && (v.type or null) == "derivation";
  getName = x: if b.isString x then (b.parseDrvName x).name else x.pname or (b.parseDrvName x.name).name;
  getOutput = out: pkg: if pkg ? outputSpecified && pkg.outputSpecified then pkg else pkg.${out} or pkg.out or pkg;
  getBin = getOutput "bin";
  getLib = getOutput "lib";
  getDev = getOutput "dev";
  getMan = getOutput "man";
  getExe' = pkg: exe: "${getBin pkg}/bin/${exe}";
  getExe = pkg: getExe' pkg (pkg.meta.mainProgram or (getName pkg));
  makeSearchPath = sub: dirs: b.concatStringsSep ":" (map (d: "${d}/${sub}") (b.filter (d: d != null) dirs));
  makeSearchPathOutput = out: sub: pkgs: makeSearchPath sub (map (getOutput out) pkgs);
  makeBinPath = makeSearchPathOutput "bin" "bin";
  makeLibraryPath = makeSearchPathOutput "lib" "lib";
  # Quoted for a POSIX shell unless made only of characters it leaves alone.
  escapeShellArg = arg: let s = toString arg; in
    if b.match "[[:alnum:],._+:@%/-]+" s != null then s
    else "'" + b.replaceStrings [ "'" ] [ "'\\''" ] s + "'";
  escapeShellArgs = list: b.concatStringsSep " " (map escapeShellArg list);
  genAttrs' = xs: f: b.listToAttrs (map f xs);
  stringToCharacters = s: b.genList (i: b.substring i 1 s) (b.stringLength s);
  trim = s: let m = b.match "[[:space:]]*(.*[^[:space:]])[[:space:]]*" s; in if m == null then "" else b.head m;
  # A decimal integer, spaces around it allowed; a leading zero is refused
  # (octal or padded?), as in nixpkgs.
  toInt = s: let m = b.match "[[:space:]]*(-?[0-9]+)[[:space:]]*" s; in
    if m == null || b.match "-?0[0-9]+" (b.head m) != null then b.throw "toInt: could not convert ${b.toJSON s} to int."
    else b.fromJSON (b.head m);
  concatMapAttrsStringSep = sep: f: set: b.concatStringsSep sep (mapAttrsToList f set);
  mapAttrsRecursiveCond = cond: f: set:
    let go = path: b.mapAttrs (n: v: if b.isAttrs v && cond v then go (path ++ [ n ]) v else f (path ++ [ n ]) v); in go [ ] set;
  mapAttrsRecursive = mapAttrsRecursiveCond (v: !isDerivation v);
  getAttrs = names: set: genAttrs names (n: set.${n});
  zipAttrs = b.zipAttrsWith (n: vs: vs);
  fileContents = file: removeSuffix "\n" (b.readFile file);
  fakeHash = "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
  fakeSha256 = "0000000000000000000000000000000000000000000000000000000000000000";
  # Each .nix file below directory called as a package, a directory as a
  # set of its own (a scope when newScope is given), a package.nix making
  # its directory one package; other files are left out.
  packagesFromDirectoryRecursive = { callPackage, directory, ... }@args:
    let
      entries = b.readDir directory;
      one = n: t: let p = directory + "/${n}"; in
        if t == "directory" then { ${n} = packagesFromDirectoryRecursive (args // { directory = p; }); }
        else if t == "regular" && hasSuffix ".nix" n then { ${removeSuffix ".nix" n} = callPackage p { }; }
        else if t == "regular" then { }
        else b.throw "lib.filesystem.packagesFromDirectoryRecursive: Unsupported file type ${t} at path ${toString p}";
      dir = args: concatMapAttrs one entries;
    in
    if b.pathExists (directory + "/package.nix") then callPackage (directory + "/package.nix") { }
    else if args ? newScope then
      let scope = self: dir (args // { inherit (self) callPackage newScope; });
          made = makeScope args.newScope scope;
      in made // { recurseForDerivations = true; }
    else dir args;
  makeScope = newScope: f:
    let self = f self // {
      newScope = scope: newScope (self // scope);
      callPackage = self.newScope { };
      overrideScope = g: makeScope newScope (extends g f);
      packages = f;
    };
    in self;
  # lib.strings' escapes: a backslash before each character of the list;
  # a Nix string literal (JSON with $ escaped); a name as Nix writes it in
  # a set, quoted unless it is an identifier that is no keyword.
  escape = chars: b.replaceStrings chars (map (c: "\\" + c) chars);
  escapeNixString = s: escape [ "$" ] (b.toJSON s);
  escapeNixIdentifier = s:
    if b.match "[a-zA-Z_][a-zA-Z0-9_'-]*" s != null && !(b.elem s [ "assert" "else" "if" "in" "inherit" "let" "or" "rec" "then" "with" ])
    then s else escapeNixString s;
  # lib.versions: the parts builtins.splitVersion finds; pad fills or cuts
  # the numeric part (before the first "-") to n parts, the rest kept.
  versions = {
    inherit (b) splitVersion compareVersions;
    major = v: b.elemAt (b.splitVersion v) 0;
    minor = v: b.elemAt (b.splitVersion v) 1;
    patch = v: b.elemAt (b.splitVersion v) 2;
    majorMinor = v: b.concatStringsSep "." (take 2 (b.splitVersion v));
    pad = n: v:
      let numeric = b.head (splitString "-" v);
          parts = b.splitVersion numeric;
          padded = parts ++ b.genList (_: "0") (if b.length parts < n then n - b.length parts else 0);
      in b.concatStringsSep "." (take n padded) + removePrefix numeric v;
  };
  versionAtLeast = v1: v2: b.compareVersions v1 v2 >= 0;
  versionOlder = v1: v2: b.compareVersions v2 v1 > 0;
  # lib.generators: text of config files from values. A value line is
  # "key<sep>value"; values are written by mkValueString (a list, set or
  # function has no default text: it throws, as in nixpkgs).
  generators = rec {
    mkValueStringDefault = { }: v:
      let no = what: b.abort "generators.mkValueStringDefault: ${what} not supported: ${toPretty { } v}"; in
      if b.isInt v || isDerivation v then b.toString v
      else if b.isString v then v
      else if b.isBool v then (if v then "true" else "false")
      else if b.typeOf v == "null" then "null"
      else if b.isList v then no "lists"
      else if b.isAttrs v then no "attrsets"
      else if isFunction v then no "functions"
      else if b.isFloat v then b.toString v
      else no "this value is";
    mkKeyValueDefault = { mkValueString ? mkValueStringDefault { } }: sep: k: v:
      escape [ sep ] k + sep + mkValueString v;
    toKeyValue = { mkKeyValue ? mkKeyValueDefault { } "=", listsAsDuplicateKeys ? false, indent ? "" }: attrs:
      let line = k: v: indent + mkKeyValue k v + "\n";
          lines = k: v: if listsAsDuplicateKeys && b.isList v then map (line k) v else [ (line k v) ];
      in concatStrings (b.concatLists (mapAttrsToList lines attrs));
    toINI = { mkSectionName ? (n: escape [ "[" "]" ] n), mkKeyValue ? mkKeyValueDefault { } "=", listsAsDuplicateKeys ? false }: sections:
      b.concatStringsSep "\n" (mapAttrsToList
        (n: kv: "[${mkSectionName n}]\n" + toKeyValue { inherit mkKeyValue listsAsDuplicateKeys; } kv)
        sections);
    toINIWithGlobalSection = { mkSectionName ? (n: escape [ "[" "]" ] n), mkKeyValue ? mkKeyValueDefault { } "=", listsAsDuplicateKeys ? false }:
      { globalSection, sections ? { } }:
      (if globalSection == { } then "" else toKeyValue { inherit mkKeyValue listsAsDuplicateKeys; } globalSection + "\n")
      + toINI { inherit mkSectionName mkKeyValue listsAsDuplicateKeys; } sections;
    # git's config: `a.b.c = v` under a section [a "b"], values quoted and
    # indented by a tab, a list as the key repeated.
    toGitINI = attrs:
      let
        isSection = v: b.isAttrs v && !isDerivation v;
        sectionName = n: let parts = splitString "." n; in
          if hasInfix "\"" n || b.length parts == 1 then n
          else "${b.head parts} \"${b.concatStringsSep "." (b.tail parts)}\"";
        quote = v: if b.isString v then "\"" + b.replaceStrings [ "\n" "\t" "\"" "\\" ] [ "\\n" "\\t" "\\\"" "\\\\" ] v + "\"" else v;
        kv = mkKeyValueDefault { mkValueString = v: mkValueStringDefault { } (quote v); } " = ";
        gitKeyValue = k: v: b.concatStringsSep "\n" (map (x: "\t" + kv k x) (toList v));
        # {a.b.c = v} (c's value no section) -> {"a.b".c = v}: the path to
        # each leaf, its last name the key, the rest the section.
        leaves = path: v:
          if isSection v then b.concatMap (n: leaves (path ++ [ n ]) v.${n}) (b.attrNames v)
          else [ (setAttrByPath [ (b.concatStringsSep "." (init path)) (last path) ] v) ];
        nested = b.filter (n: b.isAttrs attrs.${n} && b.any isSection (b.attrValues attrs.${n})) (b.attrNames attrs);
        flat = b.removeAttrs attrs nested
          // foldl recursiveUpdate { } (b.concatMap (n: leaves [ n ] attrs.${n}) nested);
      in toINI { mkSectionName = sectionName; mkKeyValue = gitKeyValue; } flat;
    toJSON = { }: b.toJSON;
    toYAML = { }: b.toJSON;
    # A value as Nix would write it (the NixOS manual's defaults).
    toPretty = { allowPrettyValues ? false, multiline ? true, indent ? "" }:
      let
        go = ind: v:
          let open = if multiline then "\n${ind}  " else " ";
              close = if multiline then "\n${ind}" else " ";
          in
          if b.isInt v then b.toString v
          else if b.isFloat v then b.toJSON v
          else if b.isString v then
            let lines = b.filter b.isString (b.split "\n" v);
                one = "\"" + b.concatStringsSep "\\n" (map (escape [ "\\" "\"" "\${" ]) lines) + "\"";
                indented = map (b.replaceStrings [ "\${" "''" ] [ "''\${" "'''" ]) lines;
                lastLine = last indented;
                many = "''" + open + b.concatStringsSep open (init indented)
                  + (if lastLine == "" then close else open + lastLine) + "''";
            in if multiline && b.length lines > 1 then many else one
          else if b.isBool v then (if v then "true" else "false")
          else if b.typeOf v == "null" then "null"
          else if b.isPath v then b.toString v
          else if b.isList v then
            (if v == [ ] then "[ ]" else "[" + open + b.concatStringsSep open (map (go (ind + "  ")) v) + close + "]")
          else if isFunction v then
            let args = functionArgs v; in
            if args == { } then "<function>"
            else "<function, args: {${b.concatStringsSep ", " (mapAttrsToList (n: opt: if opt then n + "?" else n) args)}}>"
          else if b.isAttrs v then
            (if allowPrettyValues && v ? __pretty && v ? val then v.__pretty v.val
             else if v == { } then "{ }"
             else if (v.type or null) == "derivation" then "<derivation ${v.name or "???"}>"
             else "{" + open + b.concatStringsSep open (mapAttrsToList (n: x: "${escapeNixIdentifier n} = ${go (ind + "  ") x};") v) + close + "}")
          else b.throw "generators.toPretty: a value of type ${b.typeOf v}";
      in go indent;
  };
  # lib.sources: a source is the path it filters, as nixpkgs' cleanSourceWith
  # gives it (origSrc, the filters composed, outPath); the reader reads the
  # files of origSrc, so a file the filter would leave out is still read.
  sourceOf = src: if src ? _isLibCleanSourceWith then src else { origSrc = src; filter = _: _: true; name = "source"; };
  cleanSourceWith = { src, filter ? _: _: true, name ? null }:
    let orig = sourceOf src;
        both = p: t: filter p t && orig.filter p t;
        n = if name != null then name else orig.name;
    in { _isLibCleanSourceWith = true; inherit (orig) origSrc; filter = both; name = n;
         outPath = b.path { path = orig.origSrc; filter = both; name = n; }; };
  cleanSourceFilter = p: t:
    let n = b.baseNameOf p; in
    !(n == ".git"
      || (t == "directory" && b.elem n [ ".svn" "CVS" ".hg" ".jj" ".pijul" "_darcs" ])
      || hasSuffix "~" n || b.match "^\\.sw[a-z]$" n != null || b.match "^\\..*\\.sw[a-z]$" n != null
      || hasSuffix ".o" n || hasSuffix ".so" n
      || (t == "symlink" && hasPrefix "result" n)
      || t == "unknown");
  cleanSource = src: cleanSourceWith { inherit src; filter = cleanSourceFilter; };
  sourceByRegex = src: regexes:
    let root = (sourceOf src).origSrc; in
    cleanSourceWith { inherit src; filter = p: t: b.any (re: b.match re (removePrefix (b.toString root + "/") (b.toString p)) != null) regexes; };
  sourceFilesBySuffices = src: exts:
    cleanSourceWith { inherit src; filter = p: t: t == "directory" || b.any (e: hasSuffix e (b.baseNameOf p)) exts; };
  sources = { inherit cleanSourceWith cleanSourceFilter cleanSource sourceByRegex sourceFilesBySuffices; };
  # lib.meta's priorities: meta.priority set on the package.
  # A package of pkgs (the reader knows it exists, not its meta) stays as
  # it is.
  setPrio = priority: pkg: if __nblIsPackage pkg then pkg else pkg // { meta = (pkg.meta or { }) // { inherit priority; }; };
  hiPrio = setPrio (-10);
  lowPrio = setPrio 10;
  lists = { inherit cartesianProduct mapCartesianProduct foldr foldl optional optionals flatten unique last init take drop range imap0 imap1 remove subtractLists intersectLists findFirst count reverseList toList singleton; inherit (b) head tail length elem filter map concatLists concatMap any all sort; };
  strings = { inherit escapeShellArg escapeShellArgs stringToCharacters trim toInt fileContents makeSearchPath makeSearchPathOutput makeBinPath makeLibraryPath concatMapAttrsStringSep hasPrefix hasSuffix hasInfix removePrefix removeSuffix splitString concatStrings concatMapStrings concatMapStringsSep concatLines toLower toUpper optionalString escapeRegex escape escapeNixString escapeNixIdentifier versionAtLeast versionOlder; inherit (b) concatStringsSep replaceStrings substring stringLength toString; };
  attrsets = { inherit isDerivation getOutput getBin getLib getDev getMan genAttrs' mapAttrsRecursive mapAttrsRecursiveCond getAttrs zipAttrs; mergeAttrsList = foldl (acc: x: acc // x) { }; inherit foldlAttrs foldAttrs nameValuePair genAttrs mapAttrs' mapAttrsToList attrsToList filterAttrs concatMapAttrs recursiveUpdate recursiveUpdateUntil attrByPath getAttrFromPath setAttrByPath hasAttrByPath optionalAttrs; inherit (b) attrNames attrValues mapAttrs listToAttrs hasAttr getAttr removeAttrs catAttrs intersectAttrs; };
  # A function's arguments also through __functor (nixpkgs' setFunctionArgs).
  functionArgs = f: if f ? __functor then f.__functionArgs or (functionArgs (f.__functor f)) else b.functionArgs f;
  setFunctionArgs = f: args: { __functor = self: f; __functionArgs = args; };
  isFunction = f: b.isFunction f || (f ? __functor && isFunction (f.__functor f));
  mirrorFunctionArgs = f: g: setFunctionArgs g (functionArgs f);
  toFunction = v: if isFunction v then v else k: v;
  trivial = {
    inherit id const flip pipe functionArgs setFunctionArgs isFunction mirrorFunctionArgs toFunction;
    concat = x: y: x ++ y;
    "or" = x: y: x || y;
    and = x: y: x && y;
    xor = x: y: (!x) != (!y);
    boolToString = x: if x then "true" else "false";
    boolToYesNo = x: if x then "yes" else "no";
    mergeAttrs = x: y: x // y;
    defaultTo = default: maybeValue: if maybeValue != null then maybeValue else default;
    mapNullable = f: a: if a == null then a else f a;
    min = x: y: if x < y then x else y;
    max = x: y: if x > y then x else y;
    mod = base: int: base - (int * (b.div base int));
    compare = a: c: if a < c then -1 else if a > c then 1 else 0;
    importJSON = path: b.fromJSON (b.readFile path);
    importTOML = path: b.fromTOML (b.readFile path);
    warn = msg: x: x;
    warnIf = cond: msg: x: x;
    warnIfNot = cond: msg: x: x;
    throwIf = cond: msg: if cond then b.throw msg else x: x;
    throwIfNot = cond: msg: if cond then x: x else b.throw msg;
    inPureEvalMode = !(b ? currentSystem);
  };
  mkDefault = mkOverride 1000;
  mkOptionDefault = mkOverride 1500;
  mkImageMediaOverride = mkOverride 60;
  mkForce = mkOverride 50;
  mkVMOverride = mkOverride 10;
  mkBefore = mkOrder 500;
  mkAfter = mkOrder 1500;
  modules = { inherit mkDefault mkOptionDefault mkImageMediaOverride mkForce mkVMOverride mkBefore mkAfter mkOverride mkOrder mkIf mkMerge doRename mkRenamedOptionModule mkRenamedOptionModuleWith mkAliasOptionModule mkAliasOptionModuleMD mkRemovedOptionModule mkMergedOptionModule mkChangedOptionModule setDefaultModuleLocation importApply; };
  options = { inherit mkOption mkEnableOption mkPackageOption literalExpression; };
  # lib.extend, makeExtensible: an overlay sees the final set and the one
  # before it, as in nixpkgs.
  extends = overlay: f: final: let prev = f final; in prev // overlay final prev;
  makeExtensible = rattrs: let self = rattrs self // { extend = f: makeExtensible (extends f rattrs); }; in self;
  # Two overlays as one: g sees what f added (nixpkgs' composeExtensions).
  composeExtensions = f: g: final: prev: let fApplied = f final prev; in fApplied // g final (prev // fApplied);
  composeManyExtensions = foldr composeExtensions (final: prev: { });
  fixedPoints = { inherit extends makeExtensible composeExtensions composeManyExtensions; fix = f: let x = f x; in x; };
in
makeExtensible (_: lists // strings // attrsets // trivial // modules // options // {
  inherit fixedPoints extends makeExtensible makeOverridable composeExtensions composeManyExtensions callPackageWith;
  customisation = { inherit makeOverridable callPackageWith makeScope; };
  inherit isDerivation getName getOutput getBin getLib getDev getMan getExe getExe' makeSearchPath makeSearchPathOutput makeBinPath makeLibraryPath escapeShellArg escapeShellArgs genAttrs' stringToCharacters trim toInt concatMapAttrsStringSep mapAttrsRecursive mapAttrsRecursiveCond getAttrs zipAttrs fileContents fakeHash fakeSha256 packagesFromDirectoryRecursive makeScope mdDoc mkAliasDefinitions;
  meta = { inherit getExe getExe' setPrio hiPrio lowPrio; };
  inherit versions versionAtLeast versionOlder generators sources cleanSourceWith cleanSourceFilter cleanSource sourceByRegex sourceFilesBySuffices setPrio hiPrio lowPrio escape escapeNixString escapeNixIdentifier;
  inherit (b) readDir readFileType;
  mergeAttrsList = foldl (acc: x: acc // x) { };
  mergeAttrs = x: y: x // y;
  pathIsDirectory = p: b.pathExists p && b.readFileType p == "directory";
  pathIsRegularFile = p: b.pathExists p && b.readFileType p == "regular";
  pathType = b.readFileType;
  filesystem = rec {
    inherit (b) readDir readFileType;
    pathIsDirectory = p: b.pathExists p && b.readFileType p == "directory";
    pathIsRegularFile = p: b.pathExists p && b.readFileType p == "regular";
    pathType = b.readFileType;
    # Every file below dir, as paths, directories entered.
    inherit packagesFromDirectoryRecursive;
    listFilesRecursive = dir: b.concatMap
      (n: let p = dir + "/${n}"; in if (b.readDir dir).${n} == "directory" then listFilesRecursive p else [ p ])
      (b.attrNames (b.readDir dir));
  };
  inherit lists strings attrsets modules options cartesianProduct mapCartesianProduct;
  inherit (b) map filter head tail length elem elemAt attrNames attrValues mapAttrs listToAttrs hasAttr getAttr removeAttrs concatLists concatMap concatStringsSep replaceStrings toString isList isAttrs isString isBool isInt isPath any all sort foldl' genList partition groupBy zipAttrsWith catAttrs intersectAttrs readFile pathExists baseNameOf dirOf throw seq deepSeq trace match split substring stringLength fromJSON toJSON typeOf;
  isType = type: x: (x._type or "") == type;
  warn = msg: x: x;
  warnIf = c: msg: x: x;
  assertMsg = c: msg: c;
  fix = f: let x = f x; in x;
  # lib.path: append, and removePrefix start p, the relative path "./…"
  # from start to p ("./." when they are the same; a throw when p is not
  # below start, as nixpkgs' lib.path does).
  path = {
    append = base: sub: base + "/${sub}";
    removePrefix = start: p:
      let s = b.toString start; q = b.toString p; in
      if q == s then "./."
      else if hasPrefix (s + "/") q then "./" + b.substring (b.stringLength s + 1) (b.stringLength q) q
      else throw "lib.path.removePrefix: ${q} does not start with ${s}";
  };
  fileset = __nblFileset;
  types = __nblTypes;
  maintainers = __nblData "lib.maintainers";
  teams = __nblData "lib.teams";
  licenses = __nblData "lib.licenses";
  platforms = __nblData "lib.platforms";
  systems = __nblData "lib.systems" // { flakeExposed = [ "x86_64-linux" "aarch64-linux" "x86_64-darwin" "armv6l-linux" "armv7l-linux" "i686-linux" "aarch64-darwin" "powerpc64le-linux" "riscv64-linux" "x86_64-freebsd" ]; };
  nixosSystem = __nblNixosSystem;
  evalModules = __nblEvalModules;
  darwinSystem = __nblDarwinSystem;
  version = "26.05";
  trivial = trivial // { release = "26.05"; };
})
