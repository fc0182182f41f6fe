# Applied by `nix eval` to a flake's nixosConfigurations (or
# darwinConfigurations; the caller substitutes @KIND@): the part of every host's
# evaluated configuration that nixbuild-lint's model reads, each value as
# { v = …; } or { unknown = "why"; }, so one failing option never hides
# the others. Only these attributes are evaluated, never system.build.
configurations:
let
  b = builtins;
  defined = v: if !b.isAttrs v then true else if v ? __nblUndefined then false else if v ? outPath then true else b.any defined (b.attrValues v);
  lib = { filterAttrs = pred: set: b.listToAttrs (b.concatMap (n: if pred n set.${n} then [ { name = n; value = set.${n}; } ] else [ ]) (b.attrNames set)); };
  # Walk to an option without forcing its value.
  at = cfg: path: b.foldl' (a: k:
    if a.found && b.isAttrs a.value && a.value ? ${k} then { found = true; value = a.value.${k}; }
    else { found = false; value = null; }) { found = true; value = cfg; } path;
  shellName = s:
    if b.isAttrs s && s ? pname then s.pname
    else if b.isAttrs s && s ? name then s.name
    else if b.isAttrs s && s ? outPath then toString s.outPath
    else s;
  plain = v:
    if b.isAttrs v && v ? outPath then shellName v
    else if b.isPath v then { __nblPath = toString v; }
    else if b.isList v then map plain v
    else if b.isAttrs v then b.mapAttrs (_: plain) v
    else v;
  wrapFound = o:
    let r = b.tryEval (b.deepSeq (plain o.value) (plain o.value)); in
    if !o.found then { absent = true; }
    else if !r.success then { unknown = "evaluation failed"; }
    else if b.isAttrs r.value && r.value ? __nblUndefined then { absent = true; }
    else { v = r.value; };
  wrap = v: wrapFound { found = true; value = v; };
  setAt = cfg: path: let o = at cfg path; in if o.found && b.isAttrs o.value then o.value else { };
  opt = cfg: path: wrapFound (at cfg path);
  host = kind: c:
    let cfg = c.config; in
    {
      inherit kind;
      # The platform NixOS is built for: nixpkgs.hostPlatform, then pkgs'
      # stdenv; an empty or missing system is unknown.
      system =
        let
          hp = b.tryEval ((at cfg [ "nixpkgs" "hostPlatform" "system" ]).value or null);
          fromPkgs = b.tryEval (c.pkgs.stdenv.hostPlatform.system or null);
          s = if hp.success && b.isString hp.value && hp.value != "" then hp.value
            else if fromPkgs.success && b.isString fromPkgs.value then fromPkgs.value
            else "";
        in
        if s == "" then { unknown = "no system: nixpkgs.hostPlatform is not set"; } else { v = s; };
      hostName = opt cfg [ "networking" "hostName" ];
      domain = opt cfg [ "networking" "domain" ];
      emulated = opt cfg [ "boot" "binfmt" "emulatedSystems" ];
      extraPlatforms = opt cfg [ "nix" "settings" "extra-platforms" ];
      systemFeatures = opt cfg [ "nix" "settings" "system-features" ];
      extraSystemFeatures = opt cfg [ "nix" "settings" "extra-system-features" ];
      trustedUsers = opt cfg [ "nix" "settings" "trusted-users" ];
      extraTrustedUsers = opt cfg [ "nix" "settings" "extra-trusted-users" ];
      secretKeyFiles = opt cfg [ "nix" "settings" "secret-key-files" ];
      trustedPublicKeys = opt cfg [ "nix" "settings" "trusted-public-keys" ];
      extraTrustedPublicKeys = opt cfg [ "nix" "settings" "extra-trusted-public-keys" ];
      maxJobs = opt cfg [ "nix" "settings" "max-jobs" ];
      distributedBuilds = opt cfg [ "nix" "distributedBuilds" ];
      buildersUseSubstitutes = opt cfg [ "nix" "settings" "builders-use-substitutes" ];
      extraOptions = opt cfg [ "nix" "extraOptions" ];
      sshd = {
        enable = opt cfg [ "services" "openssh" "enable" ];
        permitRootLogin = opt cfg [ "services" "openssh" "settings" "PermitRootLogin" ];
      };
      sshServe = {
        enable = opt cfg [ "nix" "sshServe" "enable" ];
        protocol = opt cfg [ "nix" "sshServe" "protocol" ];
        write = opt cfg [ "nix" "sshServe" "write" ];
        trusted = opt cfg [ "nix" "sshServe" "trusted" ];
      };
      linuxBuilder = opt cfg [ "nix" "linux-builder" "enable" ];
      # binfmt registrations by name, with their magic (emulatedSystems',
      # hand-written ones, virtualisation.rosetta's).
      binfmtRegistrations = wrap (b.mapAttrs (_: r: r.magicOrExtension or "") (setAt cfg [ "boot" "binfmt" "registrations" ]));
      # Values an OrbStack guest's module names /opt/orbstack-guest in.
      orbStack = wrap (b.filter b.isString [
        ((at cfg [ "environment" "shellInit" ]).value or "")
        ((at cfg [ "environment" "etc" "resolv.conf" "source" ]).value or "")
        ((at cfg [ "programs" "ssh" "extraConfig" ]).value or "")
      ]);
      # An installer ISO, SD card or netboot image: nixpkgs' modules for
      # them (installer/cd-dvd, installer/sd-card, installer/netboot)
      # declare these options.
      image = wrap (let o = c.options or { }; in o ? isoImage || o ? sdImage || o ? netboot);
      sshExtraConfig = opt cfg [ "programs" "ssh" "extraConfig" ];
      knownHosts = wrap (b.mapAttrs (_: k: {
        hostNames = k.hostNames or [ ];
        publicKey = k.publicKey or null;
        publicKeyFile =
          let r = b.tryEval (if (k.publicKeyFile or null) != null then b.readFile k.publicKeyFile else null); in
          if r.success then r.value else null;
      }) (setAt cfg [ "programs" "ssh" "knownHosts" ]));
      nebula = wrap (b.mapAttrs (_: n: {
        isLighthouse = n.isLighthouse or false;
        lighthouses = n.lighthouses or [ ];
        staticHostMap = n.staticHostMap or { };
      }) (lib.filterAttrs (_: n: b.isAttrs n) (setAt cfg [ "services" "nebula" "networks" ])));
      # root's known_hosts lines the fleet writes itself: /etc/ssh/ssh_known_hosts
      # (text, or a source that is a path: never a package, which would
      # have to be built), programs.ssh.knownHostsFiles, root's home-manager
      # ~/.ssh/known_hosts.
      knownHostsWritten = wrap (let
        # A path of the tree that is a file (readFile of a missing path or
        # a directory is an error tryEval does not catch).
        rd = f: if b.isPath f && b.pathExists f && ((b.readDir (dirOf f)).${baseNameOf (toString f)} or "") == "regular" then b.readFile f else null;
        file = what: e:
          if !b.isAttrs e then [ ]
          else if b.isString (e.text or null) then [ { from = what + ".text"; text = e.text; } ]
          else if b.isPath (e.source or null) then [ { from = what + ".source"; text = rd e.source; } ]
          else [ ];
        etc = setAt cfg [ "environment" "etc" ];
        u = at cfg [ "home-manager" "users" "root" ];
        hf = let f = if u.found && b.isAttrs u.value then (u.value.home.file or { }) else { }; in if b.isAttrs f then f else { };
        kf = let o = at cfg [ "programs" "ssh" "knownHostsFiles" ]; in if o.found && b.isList o.value then o.value else [ ];
      in (if etc ? "ssh/ssh_known_hosts" then file "environment.etc.\"ssh/ssh_known_hosts\"" etc."ssh/ssh_known_hosts" else [ ])
        ++ map (f: { from = "programs.ssh.knownHostsFiles"; text = rd f; }) kf
        ++ (if hf ? ".ssh/known_hosts" then file "home-manager.users.root.home.file.\".ssh/known_hosts\"" hf.".ssh/known_hosts" else [ ]));
      # root's ssh client configuration: home-manager's ~/.ssh/config for
      # root, and a whole /etc/ssh/ssh_config the fleet writes.
      hmRoot =
        let u = at cfg [ "home-manager" "users" "root" ]; in
        if !u.found then { absent = true; } else wrap (let ssh = u.value.programs.ssh or { }; in {
          matchBlocks = b.mapAttrs (n: m0: let m = m0.data or m0; in {
            host = m.host or null;
            hostname = m.hostname or null;
            user = m.user or null;
            port = m.port or null;
            identityFile = m.identityFile or null;
          }) (ssh.matchBlocks or { });
          extraConfig = ssh.extraConfig or "";
          settings = b.mapAttrs (_: o: b.listToAttrs (b.concatMap (k:
            let l = b.replaceStrings [ "U" "H" "N" "P" "I" "F" ] [ "u" "h" "n" "p" "i" "f" ] k; in
            if l == "user" || l == "hostname" || l == "port" || l == "identityfile" then [ { name = l; value = o.${k}; } ] else [ ])
            (b.attrNames o))) (ssh.settings or { });
          sshConfigFile = u.value.home.file.".ssh/config".text or null;
        });
      etcSshConfig = opt cfg [ "environment" "etc" "ssh/ssh_config" "text" ];
      hostKeys = let o = opt cfg [ "services" "openssh" "hostKeys" ]; in
        if o ? v then { v = map (k: toString (k.path or "")) o.v; } else o;
      sshdPorts = opt cfg [ "services" "openssh" "ports" ];
      listenAddresses = opt cfg [ "services" "openssh" "listenAddresses" ];
      sshdUsers = {
        AllowUsers = opt cfg [ "services" "openssh" "settings" "AllowUsers" ];
        AllowGroups = opt cfg [ "services" "openssh" "settings" "AllowGroups" ];
        DenyUsers = opt cfg [ "services" "openssh" "settings" "DenyUsers" ];
        DenyGroups = opt cfg [ "services" "openssh" "settings" "DenyGroups" ];
      };
      # The names and addresses the configuration gives the host, in the
      # static reader's order.
      addresses = wrap (
        let
          names = p: b.attrNames (setAt cfg p);
          each = p: f: b.concatMap (n: f n (setAt cfg (p ++ [ n ]))) (names p);
          strs = from: l: b.concatMap (x: if b.isString x then [ { name = x; inherit from; served = false; } ] else [ ]) l;
          field = from: k: l: b.concatMap (x: if b.isAttrs x && b.isString (x.${k} or null) then [ { name = x.${k}; inherit from; served = false; } ] else [ ]) l;
          serve = p: from: each p (n: v: [ { name = n; inherit from; served = true; } ] ++ strs from (v.serverAliases or [ ]) ++ strs from (v.extraDomainNames or [ ]));
        in
        each [ "networking" "interfaces" ] (n: v:
          field "networking.interfaces.${n}.ipv4.addresses" "address" (v.ipv4.addresses or [ ])
          ++ field "networking.interfaces.${n}.ipv6.addresses" "address" (v.ipv6.addresses or [ ]))
        ++ each [ "systemd" "network" "networks" ] (n: v:
          strs "systemd.network.networks.${n}.address" (v.address or [ ])
          ++ field "systemd.network.networks.${n}.addresses" "Address" (v.addresses or [ ]))
        ++ each [ "networking" "wireguard" "interfaces" ] (n: v: strs "networking.wireguard.interfaces.${n}.ips" (v.ips or [ ]))
        ++ each [ "networking" "wg-quick" "interfaces" ] (n: v: strs "networking.wg-quick.interfaces.${n}.address" (v.address or [ ]))
        ++ serve [ "services" "nginx" "virtualHosts" ] "services.nginx.virtualHosts"
        ++ serve [ "services" "caddy" "virtualHosts" ] "services.caddy.virtualHosts"
        ++ serve [ "security" "acme" "certs" ] "security.acme.certs");
      networkingHosts = opt cfg [ "networking" "hosts" ];
      extraHosts = opt cfg [ "networking" "extraHosts" ];
      # A user whose every definition is switched off is no user.
      users = wrap (b.mapAttrs (_: u:
        let
          # NixOS always defines shell: pkgs.shadow (nologin) by default,
          # users.defaultUserShell when useDefaultShell; the model names
          # those two "nologin" and "default" (shell = null here).
          sh = if u ? shell && u.shell != null then shellName u.shell else null;
          defaultShell = shellName ((at cfg [ "users" "defaultUserShell" ]).value or null);
          useDefault = u.useDefaultShell or (u.isNormalUser or false);
        in {
        isSystemUser = u.isSystemUser or false;
        isNormalUser = u.isNormalUser or false;
        # Without a shell of its own, useDefaultShell (implied by
        # isNormalUser) gives the default shell.
        useDefaultShell = useDefault;
        shell = if sh == "shadow" || (useDefault && sh == defaultShell) then null else sh;
        group = u.group or "";
        extraGroups = u.extraGroups or [ ];
        keys = u.openssh.authorizedKeys.keys or [ ];
        keyFiles = map toString (u.openssh.authorizedKeys.keyFiles or [ ]);
        keyFileTexts = map (f: let r = b.tryEval (b.readFile f); in if r.success then r.value else null) (u.openssh.authorizedKeys.keyFiles or [ ]);
      }) (lib.filterAttrs (_: defined) (setAt cfg [ "users" "users" ])));
      buildMachines = opt cfg [ "nix" "buildMachines" ];
      # The files that define the options findings point at, for hosts the
      # static reader cannot place (NixOS's definitionsWithLocations).
      locations = b.listToAttrs (map (path: {
        name = b.concatStringsSep "." path;
        value =
          let
            o = at (c.options or { }) path;
            r = b.tryEval (b.deepSeq (map (d: toString d.file) (o.value.definitionsWithLocations or [ ])) (map (d: toString d.file) (o.value.definitionsWithLocations or [ ])));
          in
          if o.found && r.success then r.value else [ ];
      }) [
        [ "boot" "binfmt" "emulatedSystems" ] [ "nix" "buildMachines" ] [ "nix" "settings" "max-jobs" ]
        [ "nix" "distributedBuilds" ] [ "nix" "settings" "trusted-users" ] [ "nix" "settings" "system-features" ]
        [ "networking" "hostName" ] [ "nixpkgs" "hostPlatform" ] [ "services" "openssh" "enable" ]
      ]);
    };
in
b.mapAttrs (_: host "@KIND@") configurations
