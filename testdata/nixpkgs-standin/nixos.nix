# A small NixOS module system: imports (paths, directories, functions,
# sets), module arguments, shorthand and full modules, options with
# defaults, mkIf (conditions pushed down and decided per option), mkMerge,
# mkOverride/mkDefault/mkForce, mkBefore/mkAfter, list concatenation and
# nested sets, plus the definitions NixOS itself makes for the options
# nixbuild-lint reads.
{ lib, kind }:
systemArgs@{ modules ? [ ], specialArgs ? { }, system ? null, extraModules ? [ ], ... }:
let
  b = builtins;

  isType = t: v: b.isAttrs v && (v._type or null) == t;

  pkgs = {
    inherit lib;
    system = hostSystem;
    stdenv = { hostPlatform = platform; buildPlatform = platform; system = hostSystem; inherit (platform) isLinux isDarwin isx86_64 isAarch64; };
    hostPlatform = platform;
    buildPlatform = platform;
  } // b.listToAttrs (map (n: { name = n; value = { type = "derivation"; name = n; pname = n; outPath = "/nix/store/00000000000000000000000000000000-${n}"; }; })
    [ "bash" "bashInteractive" "zsh" "fish" "shadow" "nushell" "vim" "git" "htop" "nix" ]);

  platform = {
    system = hostSystem;
    isLinux = lib.hasSuffix "-linux" hostSystem;
    isDarwin = lib.hasSuffix "-darwin" hostSystem;
    isx86_64 = lib.hasPrefix "x86_64-" hostSystem;
    isAarch64 = lib.hasPrefix "aarch64-" hostSystem;
  };

  args = specialArgs // {
    inherit config lib pkgs options specialArgs;
    modulesPath = "/modulesPath";
  };

  # Call a module function with the arguments it asks for, as NixOS does.
  call = f:
    let wanted = b.functionArgs f;
    in f (if wanted == { } then args else b.mapAttrs (n: _: args.${n} or config._module.args.${n}) wanted);

  isModulesPath = m: b.isString m && lib.hasPrefix "/modulesPath" m;

  # { key, file, value } for one module and the imports it brings.
  load = key: file: m:
    if b.isPath m || (b.isString m && !isModulesPath m) then load (toString m) (toString m) (import m)
    else if b.isFunction m then load key file (call m)
    else { inherit key file; value = m; };

  structure = v:
    if isType "if" v || isType "merge" v || isType "override" v || isType "order" v then { config = v; options = { }; imports = [ ]; }
    else if v ? config || v ? options then { config = v.config or { }; options = v.options or { }; imports = v.imports or [ ]; }
    else { config = b.removeAttrs v [ "imports" "_file" "key" "disabledModules" "meta" "_class" ]; options = { }; imports = v.imports or [ ]; };

  closure = b.genericClosure {
    startSet = lib.imap0 (i: m: let l = load "root:${toString i}" "flake" m; in l // { s = structure l.value; }) ([ nixosDefaults ] ++ modules ++ extraModules);
    operator = item: lib.imap0 (i: m:
      if isModulesPath m then { key = m; file = m; value = { }; s = structure { }; }
      else let l = load "${item.key}:${toString i}" item.file m; in l // { s = structure l.value; }) item.s.imports;
  };

  # Push mkIf / mkMerge / mkOverride / mkOrder down into a value: a list of
  # { prio, conds, value }.
  flatten = prio: conds: v:
    if isType "if" v then flatten prio (conds ++ [ v.condition ]) v.content
    else if isType "merge" v then b.concatMap (flatten prio conds) v.contents
    else if isType "override" v then flatten v.priority conds v.content
    else if isType "order" v then flatten prio conds v.content
    else [ { inherit prio conds; value = v; } ];

  isNode = v: b.isAttrs v && !(v ? outPath) && !(v ? _type);

  # Merge the definitions of one path.
  merge = path: defs:
    let
      flat = b.concatMap (d: flatten d.prio d.conds d.value) defs;
      nodes = b.filter (d: isNode d.value) flat;
      # Declared options exist in config even when nothing defines them.
      declNode = let d = lib.attrByPath path null declared; in if d != null && b.isAttrs d && !(isType "option" d) then d else null;
    in
    if (flat != [ ] && b.length nodes == b.length flat) || (flat == [ ] && declNode != null) then
      let names = lib.unique (b.concatMap (d: b.attrNames d.value) nodes ++ (if declNode != null then b.attrNames declNode else [ ]));
      in b.listToAttrs (map (n: {
        name = n;
        value = merge (path ++ [ n ]) (b.concatMap (d: if d.value ? ${n} then [ (d // { value = d.value.${n}; }) ] else [ ]) nodes);
      }) names)
    else
      let
        live = b.filter (d: b.all (c: c) d.conds) flat;
        best = b.foldl' (m: d: if d.prio < m then d.prio else m) 100000 live;
        winners = b.filter (d: d.prio == best) live;
        decl = lib.attrByPath path null declared;
      in
      if winners == [ ] then (if decl != null && decl ? default then decl.default else { __nblUndefined = true; })
      else if b.all (d: b.isList d.value) winners then b.concatMap (d: d.value) winners
      else (b.head winners).value;

  defsTop = map (m: { prio = 100; conds = [ ]; value = m.s.config; }) closure;
  declared = b.foldl' lib.recursiveUpdate { } (map (m: m.s.options) closure);
  config = merge [ ] defsTop // { _module.args = { }; };

  # options.<path>.definitionsWithLocations, as NixOS has it, for the
  # options nixbuild-lint places: the files whose modules define them.
  defines = path: v:
    if path == [ ] then true
    else if isType "if" v || isType "override" v || isType "order" v then defines path v.content
    else if isType "merge" v then b.any (defines path) v.contents
    else b.isAttrs v && v ? ${b.head path} && defines (b.tail path) v.${b.head path};
  located = [
    [ "boot" "binfmt" "emulatedSystems" ] [ "nix" "buildMachines" ] [ "nix" "settings" "max-jobs" ]
    [ "nix" "distributedBuilds" ] [ "nix" "settings" "trusted-users" ] [ "nix" "settings" "system-features" ]
    [ "networking" "hostName" ] [ "nixpkgs" "hostPlatform" ] [ "services" "openssh" "enable" ]
  ];
  options = b.foldl' lib.recursiveUpdate { } (map (path: lib.setAttrByPath path {
    definitionsWithLocations = map (m: { file = m.file; value = null; })
      (b.filter (m: m.file != "flake" && defines path m.s.config) closure);
  }) located);

  hostSystem =
    if system != null then system
    else let hp = config.nixpkgs.hostPlatform or null; in
      if b.isString hp then hp
      else if b.isAttrs hp && hp ? system then hp.system
      else config.nixpkgs.system or null;

  machineDefaults = {
    protocol = "ssh"; system = null; systems = [ ]; sshUser = null; sshKey = null; maxJobs = 1; speedFactor = 1;
    mandatoryFeatures = [ ]; supportedFeatures = [ ]; publicHostKey = null;
  };

  # What NixOS (or nix-darwin) itself defines for the options the model reads.
  nixosDefaults = { config, lib, ... }: {
    nix.settings.trusted-users = [ "root" ];
    nix.settings.system-features = lib.mkIf (kind == "nixos") (lib.mkDefault [ "nixos-test" "benchmark" "big-parallel" "kvm" ]);
    nix.settings.max-jobs = lib.mkOptionDefault "auto";
    nix.distributedBuilds = lib.mkMerge [ (lib.mkOptionDefault false) (lib.mkIf (kind == "darwin" && linuxBuilder) true) ];
    nix.buildMachines = lib.mkOptionDefault [ ];
    boot.binfmt.emulatedSystems = lib.mkOptionDefault [ ];
    nix.settings.extra-platforms = lib.mkIf (config.boot.binfmt.emulatedSystems != [ ])
      (config.boot.binfmt.emulatedSystems ++ lib.optional (hostSystem == "x86_64-linux") "i686-linux");
    services.openssh.enable = lib.mkOptionDefault false;
    services.openssh.settings.PermitRootLogin = lib.mkOptionDefault "prohibit-password";
    networking.hostName = lib.mkOptionDefault "nixos";
    networking.domain = lib.mkOptionDefault null;
  };

  # nix-darwin's nix.linux-builder: a local VM builder entry.
  linuxBuilder = (config.nix.linux-builder.enable or false) == true;
  linuxBuilderEntry = {
    hostName = "linux-builder"; sshUser = "builder"; protocol = "ssh-ng"; sshKey = "/etc/nix/builder_ed25519";
    supportedFeatures = [ "kvm" "benchmark" "big-parallel" ]; speedFactor = 1; maxJobs = 1;
    systems = [ (builtins.replaceStrings [ "-darwin" ] [ "-linux" ] hostSystem) ];
  };

  final = config // {
    nix = config.nix // {
      buildMachines = map (e: machineDefaults // e)
        ((if kind == "darwin" && linuxBuilder then [ linuxBuilderEntry ] else [ ]) ++ config.nix.buildMachines);
    };
  };
in
{
  config = final;
  inherit options pkgs;
  _type = "configuration";
  class = kind;
  _nblSystem = hostSystem;
  # The same system with more modules, as lib.nixosSystem's result offers.
  extendModules = ext: import ./nixos.nix { inherit lib kind; } (systemArgs // {
    modules = modules ++ (ext.modules or [ ]);
    specialArgs = specialArgs // (ext.specialArgs or { });
  });
}
