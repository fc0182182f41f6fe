package model

import "testing"

// TestRegistrationSystem: the system of a binfmt registration comes from
// its name when that is a system, from "rosetta", else from the ELF class
// and machine of its magic as NixOS writes it.
func TestRegistrationSystem(t *testing.T) {
	for _, c := range []struct {
		name, magic, want string
		ok                bool
	}{
		{"aarch64-linux", "", "aarch64-linux", true},
		{"rosetta", "", "x86_64-linux", true},
		{"qemu-arm64", `\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xb7\x00`, "aarch64-linux", true},
		{"box64", `\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x3e\x00`, "x86_64-linux", true},
		{"arm32", `\x7fELF\x01\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x28\x00`, "armv7l-linux", true},
		{"riscv", `\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xf3\x00`, "riscv64-linux", true},
		{"s390x", `\x7fELF\x02\x02\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x16`, "", false}, // big-endian: not told
		{"wine", "MZ", "", false},
		{"short", `\x7fELF\x02`, "", false},
	} {
		got, ok := RegistrationSystem(c.name, c.magic)
		if got != c.want || ok != c.ok {
			t.Errorf("%s: got %q %v, want %q %v", c.name, got, ok, c.want, c.ok)
		}
	}
}
