package probe

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// TestProbesRun runs every probe for real: natively where the machine can,
// under Debian's qemu-user-static otherwise, and checks what it wrote.
func TestProbesRun(t *testing.T) {
	qemu := map[string]string{
		"x86_64-linux": "qemu-x86_64-static", "i686-linux": "qemu-i386-static",
		"aarch64-linux": "qemu-aarch64-static", "armv7l-linux": "qemu-arm-static", "riscv64-linux": "qemu-riscv64-static",
	}
	for _, sys := range Systems() {
		t.Run(sys, func(t *testing.T) {
			a, err := For(sys)
			if err != nil {
				t.Fatal(err)
			}
			elf := a.ELF()
			if len(elf) > 512 {
				t.Errorf("probe is %d bytes, want a few hundred", len(elf))
			}
			dir := t.TempDir()
			bin := filepath.Join(dir, "probe")
			if err := os.WriteFile(bin, elf, 0o755); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(dir, "out")
			var cmd *exec.Cmd
			if sys == "x86_64-linux" && runtime.GOARCH == "amd64" {
				cmd = exec.Command(bin, out)
			} else {
				q, err := exec.LookPath(qemu[sys])
				if err != nil {
					t.Fatalf("%s not found (scripts/test.sh installs qemu-user-static)", qemu[sys])
				}
				cmd = exec.Command(q, bin, out)
			}
			if msg, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("probe failed: %v %s", err, msg)
			}
			data, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if m, ok := a.Check(data); !ok {
				t.Errorf("probe wrote %q, want one of %v", m, a.Machine)
			}
		})
	}
}
