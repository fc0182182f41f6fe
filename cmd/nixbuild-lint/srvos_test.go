package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestSrvosBuilderRole: srvos' real source (../shared/vendor/srvos), locked
// by the real nix flake lock as a path: input and then removed, is read
// from the store: its roles-nix-remote-builder creates the builder user,
// gives it the scheduler's keys and trusts it, its server module enables
// sshd, so no finding is made about them, and the builder's missing
// aarch64 emulation is still an error (golden srvos-builder-role.txt).
func TestSrvosBuilderRole(t *testing.T) {
	if _, err := exec.LookPath("nix"); err != nil {
		t.Fatal("nix not found (scripts/test.sh installs nix-bin)")
	}
	vendor := filepath.Join(vendorDir(), "srvos")
	if _, err := os.Stat(vendor); err != nil {
		t.Skip("needs the real srvos in ../shared/vendor, absent here")
	}
	tmp := t.TempDir()
	srvos := filepath.Join(tmp, "srvos")
	if out, err := exec.Command("cp", "-r", vendor, srvos).CombinedOutput(); err != nil {
		t.Fatalf("%v %s", err, out)
	}
	files := map[string]string{
		"np/flake.nix": `{ outputs = _: { }; }`,
		"fleet/flake.nix": `{
  inputs.nixpkgs.url = "path:` + filepath.Join(tmp, "np") + `";
  inputs.srvos.url = "path:` + srvos + `";
  inputs.srvos.inputs.nixpkgs.follows = "nixpkgs";
  outputs = { nixpkgs, srvos, ... }: {
    nixosConfigurations = {
      pi = nixpkgs.lib.nixosSystem {
        system = "aarch64-linux";
        modules = [ ./pi.nix ];
      };
      builder = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ srvos.nixosModules.server srvos.nixosModules.roles-nix-remote-builder ./builder.nix ];
      };
    };
  };
}`,
		"fleet/pi.nix": `{
  nix.distributedBuilds = true;
  nix.settings.builders-use-substitutes = true;
  nix.buildMachines = [
    {
      hostName = "builder";
      sshUser = "nix-remote-builder";
      protocol = "ssh-ng";
      systems = [ "x86_64-linux" "aarch64-linux" ];
    }
  ];
}`,
		"fleet/builder.nix": `{
  roles.nix-remote-builder.schedulerPublicKeys = [ "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHubBuilderKeyOfPiForRemoteBuildsExample00 pi" ];
}`,
	}
	for name, text := range files {
		p := filepath.Join(tmp, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	fleet := filepath.Join(tmp, "fleet")
	cmd := exec.Command("nix", "--extra-experimental-features", "nix-command flakes", "flake", "lock")
	cmd.Dir = fleet
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("nix flake lock: %v\n%s", err, out)
	}
	if err := os.RemoveAll(srvos); err != nil {
		t.Fatal(err)
	}
	text, stderr, code := runCLI("--color", "never", "--eval", "static", fleet)
	hosts, _, _ := runCLI("hosts", "--eval", "static", fleet)
	golden(t, "srvos-builder-role.txt", fmt.Sprintf("# exit %d\n%s# stderr\n%s# hosts\n%s", code, text, stderr, hosts))
	for _, rule := range []string{"untrusted-builder-user", "builder-user-no-authorized-key", "builder-ssh-disabled"} {
		if strings.Contains(text, rule) {
			t.Errorf("a finding %s about what srvos defines:\n%s", rule, text)
		}
	}
	if code != 1 || !strings.Contains(text, "does not emulate it") {
		t.Errorf("the builder's missing emulation is not an error (exit %d):\n%s", code, text)
	}
}
