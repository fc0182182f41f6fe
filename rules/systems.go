package rules

import "strings"

// BinfmtSystems are the values boot.binfmt.emulatedSystems accepts
// (nixpkgs nixos/lib/binfmt-magics.nix).
var BinfmtSystems = []string{
	"armv6l-linux", "armv7l-linux", "aarch64-linux", "aarch64_be-linux",
	"i386-linux", "i486-linux", "i586-linux", "i686-linux", "x86_64-linux",
	"alpha-linux", "sparc64-linux", "sparc-linux", "powerpc-linux", "powerpc64-linux",
	"powerpc64le-linux", "mips-linux", "mipsel-linux", "mips64-linux", "mips64el-linux",
	"mips64-linuxabin32", "mips64el-linuxabin32", "riscv32-linux", "riscv64-linux",
	"loongarch64-linux", "wasm32-wasi", "wasm64-wasi", "s390x-linux",
	"x86_64-windows", "i686-windows",
}

var knownSystems = func() map[string]bool {
	m := map[string]bool{"builtin": true}
	for _, s := range BinfmtSystems {
		m[s] = true
	}
	for _, s := range []string{
		"x86_64-darwin", "aarch64-darwin", "x86_64-freebsd", "aarch64-freebsd", "i686-freebsd",
		"x86_64-netbsd", "x86_64-openbsd", "armv5tel-linux", "m68k-linux", "microblaze-linux",
		"or1k-linux", "s390-linux", "x86_64-cygwin", "i686-cygwin",
		"x86_64-v1-linux", "x86_64-v2-linux", "x86_64-v3-linux", "x86_64-v4-linux",
	} {
		m[s] = true
	}
	return m
}()

// ValidSystem reports whether s is a Nix system double Nix can match.
func ValidSystem(s string) bool { return knownSystems[s] }

// CanEmulate reports whether a host of system host can run system s through
// boot.binfmt.emulatedSystems: any binfmt-magics entry but its own system.
func CanEmulate(host, s string) bool {
	if s == host || !strings.HasSuffix(host, "-linux") {
		return false
	}
	for _, b := range BinfmtSystems {
		if b == s {
			return true
		}
	}
	return false
}

var cpuAliases = map[string]string{
	"arm64": "aarch64", "aarch64": "aarch64", "armv8": "aarch64", "armv8l": "aarch64",
	"amd64": "x86_64", "x64": "x86_64", "x86-64": "x86_64", "x86_64": "x86_64", "intel": "x86_64",
	"i386": "i686", "i686": "i686", "x86": "i686", "armhf": "armv7l", "armv7": "armv7l", "armv7l": "armv7l",
	"armv6": "armv6l", "armv6l": "armv6l", "riscv64": "riscv64", "rv64": "riscv64", "ppc64le": "powerpc64le",
}

var kernelAliases = map[string]string{
	"linux": "linux", "gnu": "linux", "unknown-linux-gnu": "linux", "nixos": "linux",
	"darwin": "darwin", "macos": "darwin", "osx": "darwin", "apple-darwin": "darwin",
}

// SuggestSystem guesses the system double a wrong one meant ("" if none).
func SuggestSystem(s string) string {
	t := strings.ToLower(strings.TrimSpace(s))
	for _, sep := range []string{"_linux", "_darwin"} {
		if strings.HasSuffix(t, sep) {
			t = strings.TrimSuffix(t, sep) + "-" + sep[1:]
		}
	}
	if ValidSystem(t) {
		return t
	}
	if cpu, ok := cpuAliases[t]; ok {
		return cpu + "-linux"
	}
	i := strings.IndexByte(t, '-')
	if i < 0 {
		return ""
	}
	cpu, ok := cpuAliases[t[:i]]
	if !ok {
		return ""
	}
	kernel, ok := kernelAliases[t[i+1:]]
	if !ok {
		return ""
	}
	out := cpu + "-" + kernel
	if ValidSystem(out) {
		return out
	}
	return ""
}
