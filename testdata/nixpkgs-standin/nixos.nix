# nixbuild-lint's stand-in NixOS, for the offline tests of --eval nix, on
# the real lib.evalModules (the vendored nixpkgs lib, copied in by the
# tests as ./nixpkgs-lib): priorities, mkIf/mkMerge, submodules and their
# defaults, freeform nix.settings, apply and definitionsWithLocations behave
# as in NixOS. It declares the options nixbuild-lint reads with NixOS's
# names, types and defaults, and makes the definitions NixOS derives from
# them (written from the NixOS option documentation). Every other option is
# accepted and ignored (_module.check = false), as a NixOS that declares it
# would accept it.
{ lib, kind }:
{ modules ? [ ], specialArgs ? { }, system ? null, extraModules ? [ ], ... }:
let
  inherit (lib) mkOption mkDefault mkIf mkMerge mkOptionDefault types;
  b = builtins;

  # A platform as nixpkgs elaborates it, from a system name.
  platformOf = p:
    let s = if b.isString p then p else p.system or ""; in
    (if b.isAttrs p then p else { }) // {
      system = s;
      isLinux = lib.hasSuffix "-linux" s;
      isDarwin = lib.hasSuffix "-darwin" s;
      isx86_64 = lib.hasPrefix "x86_64-" s;
      isAarch64 = lib.hasPrefix "aarch64-" s;
    };
  # The gcc.arch nixpkgs' platforms give a system (lib/systems/platforms.nix).
  gccArch = { aarch64-linux = "armv8-a"; armv7l-linux = "armv7-a"; armv6l-linux = "armv6kz"; armv5tel-linux = "armv5te"; };
  platformType = types.either types.str (types.attrsOf types.anything);

  drv = n: { type = "derivation"; name = n; pname = n; outPath = "/nix/store/00000000000000000000000000000000-${n}"; shellPath = "/bin/${n}"; };
  pkgsFor = platform: {
    inherit lib;
    system = platform.system;
    stdenv = { hostPlatform = platform; buildPlatform = platform; system = platform.system; inherit (platform) isLinux isDarwin isx86_64 isAarch64; };
    hostPlatform = platform;
    buildPlatform = platform;
  } // b.listToAttrs (map (n: { name = n; value = drv n; })
    [ "bash" "bashInteractive" "zsh" "fish" "shadow" "nushell" "vim" "git" "htop" "nix" ]);

  confAtom = types.nullOr (types.oneOf [ types.bool types.int types.float types.str types.path types.package ]);

  machine = types.submodule {
    options = {
      hostName = mkOption { type = types.str; };
      protocol = mkOption { type = types.nullOr (types.enum [ "ssh" "ssh-ng" ]); default = "ssh"; };
      system = mkOption { type = types.nullOr types.str; default = null; };
      systems = mkOption { type = types.listOf types.str; default = [ ]; };
      sshUser = mkOption { type = types.nullOr types.str; default = null; };
      sshKey = mkOption { type = types.nullOr types.str; default = null; };
      maxJobs = mkOption { type = types.int; default = 1; };
      speedFactor = mkOption { type = types.numbers.positive; default = 1; }; # int before nixpkgs PR #532764
      mandatoryFeatures = mkOption { type = types.listOf types.str; default = [ ]; };
      supportedFeatures = mkOption { type = types.listOf types.str; default = [ ]; };
      publicHostKey = mkOption { type = types.nullOr types.str; default = null; };
    };
  };

  # The options the model reads, declared as NixOS (or nix-darwin) declares
  # them, and what NixOS derives from them.
  nixos = { config, pkgs, ... }: let top = config; in {
    options = {
      nixpkgs.system = mkOption { type = types.str; }; # no default: a host without a system is unknown
      nixpkgs.hostPlatform = mkOption { type = platformType; default = config.nixpkgs.system; apply = platformOf; };
      nixpkgs.buildPlatform = mkOption { type = platformType; default = config.nixpkgs.hostPlatform; apply = platformOf; };
      nix.buildMachines = mkOption { type = types.listOf machine; default = [ ]; };
      nix.distributedBuilds = mkOption { type = types.bool; default = false; };
      nix.extraOptions = mkOption { type = types.lines; default = ""; };
      nix.settings = mkOption {
        default = { };
        type = types.submodule {
          freeformType = types.attrsOf (types.either confAtom (types.listOf confAtom));
          options = {
            trusted-users = mkOption { type = types.listOf types.str; };
            max-jobs = mkOption { type = types.either types.int (types.enum [ "auto" ]); default = "auto"; };
          } // lib.optionalAttrs (kind == "nixos") {
            # nix-darwin leaves it to Nix's own default.
            system-features = mkOption { type = types.listOf types.str; };
          };
        };
      };
      nix.sshServe = {
        enable = mkOption { type = types.bool; default = false; };
        protocol = mkOption { type = types.enum [ "ssh" "ssh-ng" ]; default = "ssh"; };
        write = mkOption { type = types.bool; default = false; };
        trusted = mkOption { type = types.bool; default = false; };
        keys = mkOption { type = types.listOf types.str; default = [ ]; };
      };
      boot.binfmt.emulatedSystems = mkOption { type = types.listOf types.str; default = [ ]; };
      # Hand-written registrations (NixOS also makes one per emulated
      # system; the stand-in does not).
      boot.binfmt.registrations = mkOption {
        default = { };
        type = types.attrsOf (types.submodule {
          freeformType = types.attrsOf types.anything;
          options.magicOrExtension = mkOption { type = types.str; default = ""; };
        });
      };
      # NixOS's virtualisation/rosetta.nix (an aarch64 VM guest on Apple silicon).
      virtualisation.rosetta.enable = mkOption { type = types.bool; default = false; };
      environment.shellInit = mkOption { type = types.lines; default = ""; };
      environment.etc = mkOption {
        default = { };
        type = types.attrsOf (types.submodule { freeformType = types.attrsOf types.anything; });
      };
      networking.hostName = mkOption { type = types.str; default = "nixos"; };
      networking.domain = mkOption { type = types.nullOr types.str; default = null; };
      services.openssh.enable = mkOption { type = types.bool; default = false; };
      services.openssh.settings = mkOption {
        default = { };
        type = types.submodule {
          freeformType = types.attrsOf types.anything;
          options.PermitRootLogin = mkOption {
            type = types.enum [ "yes" "without-password" "prohibit-password" "forced-commands-only" "no" ];
            default = "prohibit-password";
          };
        };
      };
      services.openssh.ports = mkOption { type = types.listOf types.port; default = [ 22 ]; };
      services.openssh.listenAddresses = mkOption {
        type = types.listOf (types.submodule {
          options.addr = mkOption { type = types.nullOr types.str; default = null; };
          options.port = mkOption { type = types.nullOr types.port; default = null; };
        });
        default = [ ];
      };
      services.openssh.hostKeys = mkOption {
        type = types.listOf (types.attrsOf types.anything);
        default = [
          { type = "rsa"; bits = 4096; path = "/etc/ssh/ssh_host_rsa_key"; }
          { type = "ed25519"; path = "/etc/ssh/ssh_host_ed25519_key"; }
        ];
      };
      networking.hosts = mkOption { type = types.attrsOf (types.listOf types.str); default = { }; };
      networking.extraHosts = mkOption { type = types.lines; default = ""; };
      networking.interfaces = mkOption { type = types.attrsOf (types.attrsOf types.anything); default = { }; };
      networking.wireguard.interfaces = mkOption { type = types.attrsOf (types.attrsOf types.anything); default = { }; };
      networking.wg-quick.interfaces = mkOption { type = types.attrsOf (types.attrsOf types.anything); default = { }; };
      systemd.network.networks = mkOption { type = types.attrsOf (types.attrsOf types.anything); default = { }; };
      services.nginx.virtualHosts = mkOption { type = types.attrsOf (types.attrsOf types.anything); default = { }; };
      services.caddy.virtualHosts = mkOption { type = types.attrsOf (types.attrsOf types.anything); default = { }; };
      security.acme.certs = mkOption { type = types.attrsOf (types.attrsOf types.anything); default = { }; };
      # As home-manager's NixOS module declares it: each user's home-manager
      # configuration (a module).
      home-manager.users = mkOption {
        type = types.attrsOf (types.submoduleWith { modules = [ { freeformType = types.attrsOf types.anything; } ]; });
        default = { };
      };
      programs.ssh.extraConfig = mkOption { type = types.lines; default = ""; };
      # NixOS's services/networking/nebula.nix (the options the reader reads).
      services.nebula.networks = mkOption {
        default = { };
        type = types.attrsOf (types.submodule {
          freeformType = types.attrsOf types.anything;
          options.isLighthouse = mkOption { type = types.bool; default = false; };
          options.lighthouses = mkOption { type = types.listOf types.str; default = [ ]; };
          options.staticHostMap = mkOption { type = types.attrsOf (types.listOf types.str); default = { }; };
        });
      };
      programs.ssh.knownHostsFiles = mkOption { type = types.listOf types.path; default = [ ]; };
      programs.ssh.knownHosts = mkOption {
        default = { };
        type = types.attrsOf (types.submodule ({ name, ... }: {
          freeformType = types.attrsOf types.anything;
          options.hostNames = mkOption { type = types.listOf types.str; default = [ name ]; };
        }));
      };
      users.defaultUserShell = mkOption { type = types.either types.path types.package; default = pkgs.bashInteractive; };
      users.users = mkOption {
        default = { };
        type = types.attrsOf (types.submodule ({ name, config, ... }: {
          freeformType = types.attrsOf types.anything;
          options = {
            name = mkOption { type = types.str; default = name; };
            isNormalUser = mkOption { type = types.bool; default = false; };
            isSystemUser = mkOption { type = types.bool; default = false; };
            useDefaultShell = mkOption { type = types.bool; default = false; };
            # NixOS: "defaults to nologin" (shadow's).
            shell = mkOption { type = types.nullOr (types.either types.package types.path); default = pkgs.shadow; };
            group = mkOption { type = types.str; default = ""; };
            extraGroups = mkOption { type = types.listOf types.str; default = [ ]; };
            openssh.authorizedKeys.keys = mkOption { type = types.listOf types.str; default = [ ]; };
            openssh.authorizedKeys.keyFiles = mkOption { type = types.listOf types.path; default = [ ]; };
          };
          config = mkMerge [
            { shell = mkIf config.useDefaultShell (mkDefault top.users.defaultUserShell); }
            (mkIf config.isNormalUser { group = mkDefault "users"; useDefaultShell = mkDefault true; })
          ];
        }));
      };
      # nix-darwin's local VM builder.
      nix.linux-builder.enable = mkOption { type = types.bool; default = false; };
    };
    config = {
      _module.check = false;
      _module.args.pkgs = mkOptionDefault (pkgsFor config.nixpkgs.hostPlatform);
      # boot.binfmt: emulated systems become extra platforms (with i686 on x86_64).
      nix.settings = mkMerge [
        {
          # NixOS defines root as trusted (merged with the fleet's users,
          # since nixpkgs PR #318635), and a default feature list any
          # definition replaces.
          trusted-users = [ "root" ];
          # NixOS trusts cache.nixos.org's key (merged with the fleet's).
          trusted-public-keys = [ "cache.nixos.org-1:6NCHdD59X431o0gWypbMrAURkbJ16ZPMQFGspcDShjY=" ];
          system-features = mkIf (kind == "nixos") (mkDefault ([ "nixos-test" "benchmark" "big-parallel" "kvm" ]
            # gccarch-<arch> of the platform's gcc.arch (lib/systems/platforms.nix gives ARM one).
            ++ lib.optional (gccArch ? ${config.nixpkgs.hostPlatform.system}) "gccarch-${gccArch.${config.nixpkgs.hostPlatform.system}}"));
        }
        # virtualisation.rosetta: Rosetta runs x86_64-linux.
        (mkIf config.virtualisation.rosetta.enable { extra-platforms = [ "x86_64-linux" ]; })
        (mkIf (config.boot.binfmt.emulatedSystems != [ ]) {
          extra-platforms = config.boot.binfmt.emulatedSystems ++ lib.optional config.nixpkgs.hostPlatform.isx86_64 "i686-linux";
        })
      ];
      boot.binfmt.registrations = mkIf config.virtualisation.rosetta.enable {
        rosetta = {
          interpreter = "/run/rosetta/rosetta";
          magicOrExtension = ''\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x3e\x00'';
        };
      };
      # nix-darwin: the linux-builder VM is a build machine, and builds are distributed.
      nix.buildMachines = mkIf (kind == "darwin" && config.nix.linux-builder.enable) [{
        hostName = "linux-builder"; sshUser = "builder"; protocol = "ssh-ng"; sshKey = "/etc/nix/builder_ed25519";
        supportedFeatures = [ "kvm" "benchmark" "big-parallel" ];
        systems = [ (b.replaceStrings [ "-darwin" ] [ "-linux" ] config.nixpkgs.hostPlatform.system) ];
      }];
      nix.distributedBuilds = mkIf (kind == "darwin" && config.nix.linux-builder.enable) true;
    };
  };
  # What lib.nixosSystem returns: the evaluation, its pkgs, and
  # extendModules giving the same again.
  system' = eval: eval // {
    inherit (eval._module.args) pkgs;
    extendModules = args: system' (eval.extendModules args);
  };
in
system' (lib.evalModules {
  class = kind;
  specialArgs = { modulesPath = ./modules; } // specialArgs;
  modules = [ nixos ]
    # lib.nixosSystem's system argument sets the legacy nixpkgs.system.
    ++ lib.optional (system != null) { nixpkgs.system = mkDefault system; }
    ++ modules ++ extraModules;
})
