// Package probe writes the programs verify builds on a builder: for each
// architecture a few hundred bytes of static ELF, written here instruction
// by instruction, that calls uname(2) and writes the machine field to the
// file named by its first argument (the derivation's $out). Nothing else
// can produce that output: it proves the build ran, on which architecture,
// native or under QEMU.
package probe

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"
)

// Arch describes one target.
type Arch struct {
	System  string   // Nix system, e.g. aarch64-linux
	Machine []string // what uname -m may say when the probe runs there
	class64 bool
	machine uint16 // ELF e_machine
	flags   uint32
	base    uint64
	code    []byte
}

func words(ws ...uint32) []byte {
	b := make([]byte, 4*len(ws))
	for i, w := range ws {
		binary.LittleEndian.PutUint32(b[4*i:], w)
	}
	return b
}

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

// The programs all do: buf = sp - 512; uname(buf); fd = open(argv[1],
// O_WRONLY|O_CREAT|O_TRUNC, 0644); write(fd, buf+260, 65); exit(0). The
// machine field of struct utsname starts at byte 260 (4 × 65).
var arches = []*Arch{
	{System: "x86_64-linux", Machine: []string{"x86_64"}, class64: true, machine: 62, base: 0x400000, code: cat(
		[]byte{0x48, 0x8b, 0x5c, 0x24, 0x10},                   // mov rbx, [rsp+16]      argv[1]
		[]byte{0x48, 0x81, 0xec, 0x00, 0x02, 0x00, 0x00},       // sub rsp, 512
		[]byte{0x48, 0x89, 0xe7},                               // mov rdi, rsp
		[]byte{0xb8, 0x3f, 0x00, 0x00, 0x00},                   // mov eax, 63            uname
		[]byte{0x0f, 0x05},                                     // syscall
		[]byte{0x48, 0x89, 0xdf},                               // mov rdi, rbx
		[]byte{0xbe, 0x41, 0x02, 0x00, 0x00},                   // mov esi, 0x241
		[]byte{0xba, 0xa4, 0x01, 0x00, 0x00},                   // mov edx, 0644
		[]byte{0xb8, 0x02, 0x00, 0x00, 0x00},                   // mov eax, 2             open
		[]byte{0x0f, 0x05},                                     // syscall
		[]byte{0x89, 0xc7},                                     // mov edi, eax
		[]byte{0x48, 0x8d, 0xb4, 0x24, 0x04, 0x01, 0x00, 0x00}, // lea rsi, [rsp+260]
		[]byte{0xba, 0x41, 0x00, 0x00, 0x00},                   // mov edx, 65
		[]byte{0xb8, 0x01, 0x00, 0x00, 0x00},                   // mov eax, 1             write
		[]byte{0x0f, 0x05},                                     // syscall
		[]byte{0x31, 0xff},                                     // xor edi, edi
		[]byte{0xb8, 0x3c, 0x00, 0x00, 0x00},                   // mov eax, 60            exit
		[]byte{0x0f, 0x05},                                     // syscall
	)},
	{System: "i686-linux", Machine: []string{"i686", "i586", "i486", "i386", "x86_64"}, machine: 3, base: 0x08048000, code: cat(
		[]byte{0x81, 0xec, 0x00, 0x02, 0x00, 0x00},       // sub esp, 512
		[]byte{0x89, 0xe3},                               // mov ebx, esp
		[]byte{0xb8, 0x7a, 0x00, 0x00, 0x00},             // mov eax, 122           newuname
		[]byte{0xcd, 0x80},                               // int 0x80
		[]byte{0x8b, 0x9c, 0x24, 0x08, 0x02, 0x00, 0x00}, // mov ebx, [esp+520]     argv[1]
		[]byte{0xb9, 0x41, 0x02, 0x00, 0x00},             // mov ecx, 0x241
		[]byte{0xba, 0xa4, 0x01, 0x00, 0x00},             // mov edx, 0644
		[]byte{0xb8, 0x05, 0x00, 0x00, 0x00},             // mov eax, 5             open
		[]byte{0xcd, 0x80},                               // int 0x80
		[]byte{0x89, 0xc3},                               // mov ebx, eax
		[]byte{0x8d, 0x8c, 0x24, 0x04, 0x01, 0x00, 0x00}, // lea ecx, [esp+260]
		[]byte{0xba, 0x41, 0x00, 0x00, 0x00},             // mov edx, 65
		[]byte{0xb8, 0x04, 0x00, 0x00, 0x00},             // mov eax, 4             write
		[]byte{0xcd, 0x80},                               // int 0x80
		[]byte{0x31, 0xdb},                               // xor ebx, ebx
		[]byte{0xb8, 0x01, 0x00, 0x00, 0x00},             // mov eax, 1             exit
		[]byte{0xcd, 0x80},                               // int 0x80
	)},
	{System: "aarch64-linux", Machine: []string{"aarch64"}, class64: true, machine: 183, base: 0x400000, code: words(
		0xf9400bf3, // ldr  x19, [sp, #16]     argv[1]
		0xd10803ff, // sub  sp, sp, #0x200
		0x910003e0, // mov  x0, sp
		0xd2801408, // mov  x8, #160           uname
		0xd4000001, // svc  #0
		0x92800c60, // mov  x0, #-100          AT_FDCWD
		0xaa1303e1, // mov  x1, x19
		0xd2804822, // mov  x2, #0x241
		0xd2803483, // mov  x3, #0644
		0xd2800708, // mov  x8, #56            openat
		0xd4000001, // svc  #0
		0x910413e1, // add  x1, sp, #260
		0xd2800822, // mov  x2, #65
		0xd2800808, // mov  x8, #64            write
		0xd4000001, // svc  #0
		0xd2800000, // mov  x0, #0
		0xd2800ba8, // mov  x8, #93            exit
		0xd4000001, // svc  #0
	)},
	{System: "armv7l-linux", Machine: []string{"armv7l", "armv8l"}, machine: 40, flags: 0x05000000, base: 0x10000, code: words(
		0xe59d4008, // ldr   r4, [sp, #8]      argv[1]
		0xe24ddc02, // sub   sp, sp, #512
		0xe1a0000d, // mov   r0, sp
		0xe3a0707a, // mov   r7, #122          uname
		0xef000000, // svc   #0
		0xe1a00004, // mov   r0, r4
		0xe3001241, // movw  r1, #0x241
		0xe30021a4, // movw  r2, #0644
		0xe3a07005, // mov   r7, #5            open
		0xef000000, // svc   #0
		0xe28d1c01, // add   r1, sp, #256
		0xe2811004, // add   r1, r1, #4
		0xe3a02041, // mov   r2, #65
		0xe3a07004, // mov   r7, #4            write
		0xef000000, // svc   #0
		0xe3a00000, // mov   r0, #0
		0xe3a07001, // mov   r7, #1            exit
		0xef000000, // svc   #0
	)},
	{System: "riscv64-linux", Machine: []string{"riscv64"}, class64: true, machine: 243, base: 0x10000, code: words(
		0x01013483, // ld    s1, 16(sp)        argv[1]
		0xe0010113, // addi  sp, sp, -512
		0x00010513, // mv    a0, sp
		0x0a000893, // li    a7, 160           uname
		0x00000073, // ecall
		0xf9c00513, // li    a0, -100          AT_FDCWD
		0x00048593, // mv    a1, s1
		0x24100613, // li    a2, 0x241
		0x1a400693, // li    a3, 0644
		0x03800893, // li    a7, 56            openat
		0x00000073, // ecall
		0x10410593, // addi  a1, sp, 260
		0x04100613, // li    a2, 65
		0x04000893, // li    a7, 64            write
		0x00000073, // ecall
		0x00000513, // li    a0, 0
		0x05d00893, // li    a7, 93            exit
		0x00000073, // ecall
	)},
}

// Systems lists the systems a probe exists for.
func Systems() []string {
	var out []string
	for _, a := range arches {
		out = append(out, a.System)
	}
	return out
}

// For returns the architecture of a Nix system.
func For(system string) (*Arch, error) {
	for _, a := range arches {
		if a.System == system {
			return a, nil
		}
	}
	return nil, fmt.Errorf("no probe for %s (have: %s)", system, strings.Join(Systems(), ", "))
}

// ELF is the complete static executable: one header, one loadable
// segment holding the header and the code.
func (a *Arch) ELF() []byte {
	var b bytes.Buffer
	le := binary.LittleEndian
	if a.class64 {
		const ehsize, phsize = 64, 56
		total := uint64(ehsize + phsize + len(a.code))
		b.Write([]byte{0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0})
		_ = binary.Write(&b, le, struct {
			Type, Machine             uint16
			Version                   uint32
			Entry, Phoff, Shoff       uint64
			Flags                     uint32
			Ehsize, Phentsize, Phnum  uint16
			Shentsize, Shnum, Shstrnd uint16
		}{2, a.machine, 1, a.base + ehsize + phsize, ehsize, 0, a.flags, ehsize, phsize, 1, 0, 0, 0})
		_ = binary.Write(&b, le, struct {
			Type, Flags                         uint32
			Offset, Vaddr, Paddr, Filesz, Memsz uint64
			Align                               uint64
		}{1, 5, 0, a.base, a.base, total, total, 0x1000})
	} else {
		const ehsize, phsize = 52, 32
		total := uint32(ehsize + phsize + len(a.code))
		b.Write([]byte{0x7f, 'E', 'L', 'F', 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0})
		_ = binary.Write(&b, le, struct {
			Type, Machine             uint16
			Version                   uint32
			Entry, Phoff, Shoff       uint32
			Flags                     uint32
			Ehsize, Phentsize, Phnum  uint16
			Shentsize, Shnum, Shstrnd uint16
		}{2, a.machine, 1, uint32(a.base) + ehsize + phsize, ehsize, 0, a.flags, ehsize, phsize, 1, 0, 0, 0})
		_ = binary.Write(&b, le, struct {
			Type, Offset, Vaddr, Paddr, Filesz, Memsz, Flags, Align uint32
		}{1, 0, uint32(a.base), uint32(a.base), total, total, 5, 0x1000})
	}
	b.Write(a.code)
	return b.Bytes()
}

// Check reads a probe's output and says whether it ran on this architecture.
func (a *Arch) Check(out []byte) (machine string, ok bool) {
	machine, _, _ = strings.Cut(string(out), "\x00")
	for _, m := range a.Machine {
		if machine == m {
			return machine, true
		}
	}
	return machine, false
}
