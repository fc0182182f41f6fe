{ lib, ... }:
{
  imports = [
    (lib.mkRenamedOptionModule [ "fleet" "trusted" ] [ "nix" "settings" "trusted-users" ])
    (lib.mkRenamedOptionModuleWith { sinceRelease = 2411; from = [ "fleet" "emulate" ]; to = [ "boot" "binfmt" "emulatedSystems" ]; })
    (lib.mkAliasOptionModule [ "fleet" "builders" ] [ "nix" "buildMachines" ])
    (lib.mkRemovedOptionModule [ "fleet" "oldFeatures" ] "Use nix.settings.system-features.")
    (lib.mkChangedOptionModule [ "fleet" "sshd" ] [ "services" "openssh" "enable" ] (config: config.fleet.sshd == "on"))
    (lib.mkMergedOptionModule [ [ "fleet" "jobs" ] [ "fleet" "cores" ] ] [ "nix" "settings" "max-jobs" ] (config: config.fleet.jobs))
    (lib.doRename { from = [ "fleet" "distributed" ]; to = [ "nix" "distributedBuilds" ]; visible = true; warn = false; use = x: x; })
  ];
}
