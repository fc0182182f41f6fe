package nixeval_test

import (
	"context"
	"fmt"
	"os/exec"
	"strings"
	"testing"

	"github.com/nixbuild-lint/nixbuild-lint/internal/fleetgen"
	"github.com/nixbuild-lint/nixbuild-lint/internal/standin"
	"github.com/nixbuild-lint/nixbuild-lint/nixeval"
)

// BenchmarkNixEval compares, on a generated 50-host flake evaluated by the
// real Nix against the stand-in nixpkgs: one batched nix eval of every host,
// one nix eval per host (2 at a time), and one nix eval per option.
func BenchmarkNixEval(b *testing.B) {
	if _, err := exec.LookPath("nix"); err != nil {
		b.Skip("needs nix")
	}
	standinRef := standin.Nixpkgs(b, "..")
	dir := b.TempDir()
	if _, err := fleetgen.Write(dir, 50); err != nil {
		b.Fatal(err)
	}
	opts := nixeval.NixOptions{Overrides: []string{"nixpkgs=" + standinRef}}
	b.Run("batched", func(b *testing.B) {
		for b.Loop() {
			if _, failed, err := nixeval.NewReader(dir).ReadNix(context.Background(), opts); err != nil || len(failed) > 0 {
				b.Fatal(err, failed)
			}
		}
	})
	b.Run("per-host", func(b *testing.B) {
		o := opts
		o.PerHost, o.Jobs = true, 2
		for b.Loop() {
			if _, failed, err := nixeval.NewReader(dir).ReadNix(context.Background(), o); err != nil || len(failed) > 0 {
				b.Fatal(err, failed)
			}
		}
	})
	options := []string{"networking.hostName", "boot.binfmt.emulatedSystems", "nix.settings.extra-platforms", "nix.settings.system-features",
		"nix.settings.trusted-users", "nix.settings.max-jobs", "nix.distributedBuilds", "nix.buildMachines", "services.openssh.enable", "users.users"}
	b.Run("per-option", func(b *testing.B) {
		for b.Loop() {
			for _, o := range options {
				apply := fmt.Sprintf("cs: builtins.mapAttrs (n: c: builtins.tryEval (builtins.deepSeq (c.config.%s or null) true)) cs", o)
				cmd := exec.Command("nix", "eval", "--json", "--extra-experimental-features", "nix-command flakes", "--no-write-lock-file",
					"--override-input", "nixpkgs", standinRef, "path:"+dir+"#nixosConfigurations", "--apply", apply)
				if out, err := cmd.CombinedOutput(); err != nil {
					b.Fatalf("%v %s", err, strings.TrimSpace(string(out)))
				}
			}
		}
	})
}
