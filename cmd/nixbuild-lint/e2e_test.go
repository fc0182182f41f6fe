package main

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func mustRead(t *testing.T, p string) string {
	t.Helper()
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// e2e drives e2e/harness.sh: a real builder (its own Nix store, nix.conf,
// nix-daemon and sshd on 127.0.0.2:2222) and a real client, on this machine.
type e2e struct {
	t       *testing.T
	harness string
	work    string
	bin     string
}

func (e *e2e) run(args ...string) (string, error) {
	cmd := exec.Command("bash", append([]string{e.harness}, args...)...)
	cmd.Env = append(os.Environ(), "E2E_WORKDIR="+e.work)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func (e *e2e) must(args ...string) string {
	e.t.Helper()
	out, err := e.run(args...)
	if err != nil {
		e.t.Fatalf("harness %v: %v\n%s", args, err, out)
	}
	return out
}

// verify runs nixbuild-lint verify as the client and returns its JSON results.
func (e *e2e) verify(args ...string) ([]map[string]any, int) {
	e.t.Helper()
	out, err := e.run(append([]string{"client", e.bin, "verify", "--format", "json"}, args...)...)
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		e.t.Fatal(err)
	}
	var doc struct {
		Results []map[string]any `json:"results"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		e.t.Fatalf("verify output (exit %d): %v\n%s", code, err, out)
	}
	return doc.Results, code
}

func result(t *testing.T, rs []map[string]any, system string) map[string]any {
	t.Helper()
	for _, r := range rs {
		if r["system"] == system && len(r["features"].([]any)) == 0 {
			return r
		}
	}
	t.Fatalf("no result for %s in %v", system, rs)
	return nil
}

// TestVerifyEndToEnd reproduces the seed for real: the Pi's entry claims
// aarch64-linux for an x86_64 builder; verify reports the platform mismatch;
// after the builder is "deployed" with what boot.binfmt.emulatedSystems does
// (extra-platforms and a qemu-aarch64 binfmt registration), the aarch64
// probe really runs under QEMU. Then an untrusted ssh user, a wrong host key
// and an unreachable host, each with its own cause.
func TestVerifyEndToEnd(t *testing.T) {
	if os.Getuid() != 0 {
		t.Fatal("THE END-TO-END TEST NEEDS ROOT: it runs a builder in its own mount and user namespace with sshd, nix-daemon and a private binfmt_misc")
	}
	for _, tool := range []string{"nix-build", "sshd", "qemu-aarch64-static", "unshare", "nsenter"} {
		if _, err := exec.LookPath(tool); err != nil && !strings.HasPrefix(tool, "sshd") {
			t.Fatalf("%s not found (scripts/test.sh installs nix-bin, openssh-server and qemu-user-static)", tool)
		}
	}
	if _, err := os.Stat("/usr/sbin/sshd"); err != nil {
		t.Fatal("/usr/sbin/sshd not found (scripts/test.sh installs openssh-server)")
	}
	top, _ := filepath.Abs("../..")
	// Not t.TempDir(): sshd reads authorized keys as the logged-in user, who
	// must be able to reach them.
	work, err := os.MkdirTemp("", "nixbuild-lint-e2e-")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(work, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(work) })
	e := &e2e{t: t, harness: filepath.Join(top, "e2e/harness.sh"), work: filepath.Join(work, "hosts")}
	e.bin = filepath.Join(t.TempDir(), "nixbuild-lint")
	if out, err := exec.Command("go", "build", "-o", e.bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	e.must("up")
	t.Cleanup(func() { _, _ = e.run("down") })

	// The seed fleet, with the key and host key the harness made.
	key := filepath.Join(e.work, "pi/ssh/id_ed25519")
	hostPub, err := os.ReadFile(filepath.Join(e.work, "ritchie/ssh/host_ed25519.pub"))
	if err != nil {
		t.Fatal(err)
	}
	fleet := copyFleet(t, "seed")
	piFile := filepath.Join(fleet, "hosts/pi/configuration.nix")
	data, _ := os.ReadFile(piFile)
	text := strings.Replace(string(data), `sshKey = "/root/.ssh/id_builder";`,
		fmt.Sprintf("sshKey = %q;\n      protocol = \"ssh-ng\";\n      publicHostKey = %q;", key, base64.StdEncoding.EncodeToString(hostPub)), 1)
	if err := os.WriteFile(piFile, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}

	rs, code := e.verify(fleet)
	if code != 1 {
		t.Errorf("before the fix: exit %d, want 1", code)
	}
	a := result(t, rs, "aarch64-linux")
	if a["status"] != "failed" || a["rule"] != "unsupported-system" || !strings.Contains(a["cause"].(string), "is x86_64-linux and cannot build aarch64-linux") {
		t.Errorf("before the fix, aarch64-linux: %v", a)
	}
	if x := result(t, rs, "x86_64-linux"); x["status"] != "ok" || x["machine"] != "x86_64" || x["builtOn"] != "ssh-ng://root@ritchie" {
		t.Errorf("x86_64-linux: %v", x)
	}
	// The table says, under the failed row, the cause and the fix.
	table, _ := e.run("client", e.bin, "verify", fleet)
	if !strings.Contains(table, "\n    cause: ") || !strings.Contains(table, "\n    fix on ") || !strings.Contains(table, "boot.binfmt.emulatedSystems = [ \"aarch64-linux\" ]") {
		t.Errorf("verify table without the fix under the failed row:\n%s", table)
	}

	// --fix --verify: the fix is written, but ritchie still refuses: not deployed.
	out, _ := e.run("client", e.bin, "--fix", "--verify", "--color", "never", fleet)
	if !strings.Contains(out, "hosts/ritchie/configuration.nix: unsupported-system: emulate aarch64-linux on ritchie") ||
		!strings.Contains(out, "nixos-rebuild switch --flake .#ritchie --target-host ritchie") {
		t.Errorf("--fix --verify before deploying:\n%s", out)
	}
	// Plain verify now sees the fix in the fleet: under the failed row, the
	// command that deploys it.
	table, _ = e.run("client", e.bin, "verify", fleet)
	if !strings.Contains(table, "\n    the fleet already has this fix for ritchie; deploy it: nixos-rebuild switch --flake .#ritchie --target-host ritchie") {
		t.Errorf("verify after --fix, before deploying:\n%s", table)
	}

	// "Deploy" the fix: what boot.binfmt.emulatedSystems does on ritchie.
	e.must("emulate")
	rs, code = e.verify(fleet)
	if code != 0 {
		t.Errorf("after the fix: exit %d, want 0: %v", code, rs)
	}
	if a := result(t, rs, "aarch64-linux"); a["status"] != "ok" || a["machine"] != "aarch64" {
		t.Errorf("after the fix, the aarch64 probe did not run under QEMU: %v", a)
	}

	// The fleet's own login: pi logs in with a key kept in the fleet's tree
	// (its .pub beside it), which ritchie's root does not list. The lint
	// names it, verify sees ssh refuse it for real, --fix adds the key to
	// ritchie's list, and once that is deployed the build goes through.
	keyDir := filepath.Join(fleet, "keys")
	if err := os.MkdirAll(keyDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "builds@pi", "-f", filepath.Join(keyDir, "id_builder")).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v\n%s", err, out)
	}
	authorized, _ := os.ReadFile(filepath.Join(e.work, "pi/ssh/id_ed25519.pub"))
	data, _ = os.ReadFile(piFile)
	if err := os.WriteFile(piFile, []byte(strings.Replace(string(data), fmt.Sprintf("sshKey = %q;", key), fmt.Sprintf("sshKey = %q;", filepath.Join(keyDir, "id_builder")), 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	riFile := filepath.Join(fleet, "hosts/ritchie/configuration.nix")
	data, _ = os.ReadFile(riFile)
	text = regexp.MustCompile(`"ssh-ed25519 [^"]* root@pi"`).ReplaceAllString(string(data), fmt.Sprintf("%q", strings.TrimSpace(string(authorized))))
	if err := os.WriteFile(riFile, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _ = e.run("client", e.bin, "--color", "never", fleet)
	if !strings.Contains(out, "which host ritchie does not authorize for root") || !strings.Contains(out, "(client-key-not-authorized)") {
		t.Errorf("lint of the fleet whose key ritchie does not list:\n%s", out)
	}
	rs, code = e.verify(fleet)
	if a := result(t, rs, "aarch64-linux"); code != 1 || a["status"] != "failed" || a["rule"] != "client-key-not-authorized" || !strings.Contains(a["cause"].(string), "refused the key offered for root") {
		t.Errorf("verify with a key ritchie does not authorize: exit %d, %v", code, a)
	}
	out, _ = e.run("client", e.bin, "--fix", "--color", "never", fleet)
	if fixed, _ := os.ReadFile(riFile); !strings.Contains(string(fixed), strings.Join(strings.Fields(mustRead(t, filepath.Join(keyDir, "id_builder.pub")))[:2], " ")) {
		t.Errorf("--fix did not add the key to ritchie's list:\n%s\n%s", out, fixed)
	}
	if out, _ := e.run("client", e.bin, "--color", "never", fleet); strings.Contains(out, "client-key-not-authorized") {
		t.Errorf("after --fix:\n%s", out)
	}
	e.must("authorize", "root", filepath.Join(keyDir, "id_builder.pub"))
	rs, code = e.verify(fleet)
	if a := result(t, rs, "aarch64-linux"); code != 0 || a["status"] != "ok" {
		t.Errorf("after the key is deployed: exit %d, %v", code, a)
	}

	line := func(user, key, hostKeyFile, host string) string {
		out := e.must("machines-line", user, key, hostKeyFile, host)
		return strings.TrimSpace(out)
	}
	pub := filepath.Join(e.work, "ritchie/ssh/host_ed25519.pub")
	cases := []struct {
		name, line, rule, cause string
	}{
		{"untrusted ssh user", line("nixremote", key, pub, "ritchie"), "untrusted-builder-user", "does not trust the ssh user nixremote"},
		{"wrong host key", line("root", key, filepath.Join(e.work, "pi/ssh/impostor_host.pub"), "ritchie"), "public-host-key-format", "host key"},
		{"unreachable host", line("root", key, pub, "unreachable"), "builder-ssh-disabled", "nothing listens"},
		{"key not authorized for root", line("root", filepath.Join(e.work, "pi/ssh/id_unauthorized"), pub, "ritchie"), "client-key-not-authorized", "refused the key offered for root"},
		{"key not authorized for the build user", line("nixremote", filepath.Join(e.work, "pi/ssh/id_unauthorized"), pub, "ritchie"), "client-key-not-authorized", "refused the key offered for nixremote"},
	}
	for _, c := range cases {
		rs, code := e.verify("--builders", c.line)
		r := result(t, rs, "aarch64-linux")
		if code != 1 || r["status"] != "failed" || r["rule"] != c.rule || !strings.Contains(r["cause"].(string), c.cause) {
			t.Errorf("%s: exit %d, %v", c.name, code, r)
		}
	}
	// Trusting nixremote (and restarting the daemon) makes it work.
	e.must("trust", "nixremote")
	rs, code = e.verify("--builders", cases[0].line)
	if r := result(t, rs, "aarch64-linux"); code != 0 || r["status"] != "ok" {
		t.Errorf("trusted nixremote: exit %d, %v", code, r)
	}
}

// BenchmarkVerifyBuilders verifies one and three build machines (three
// entries for the builder of the end-to-end harness, each checked with its
// own ping and probe builds): builders are verified in parallel, so three
// take about as long as one.
func BenchmarkVerifyBuilders(b *testing.B) {
	if os.Getuid() != 0 {
		b.Skip("needs root: runs the end-to-end harness")
	}
	top, _ := filepath.Abs("../..")
	work, err := os.MkdirTemp("", "nixbuild-lint-e2e-bench-")
	if err != nil {
		b.Fatal(err)
	}
	_ = os.Chmod(work, 0o755)
	defer func() { _ = os.RemoveAll(work) }()
	t := &testing.T{}
	e := &e2e{t: t, harness: filepath.Join(top, "e2e/harness.sh"), work: filepath.Join(work, "hosts")}
	e.bin = filepath.Join(work, "nixbuild-lint")
	if out, err := exec.Command("go", "build", "-o", e.bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	if out, err := e.run("up"); err != nil {
		b.Fatalf("%v\n%s", err, out)
	}
	defer func() { _, _ = e.run("down") }()
	if out, err := e.run("emulate"); err != nil {
		b.Fatalf("%v\n%s", err, out)
	}
	key := filepath.Join(e.work, "pi/ssh/id_ed25519")
	pub := filepath.Join(e.work, "ritchie/ssh/host_ed25519.pub")
	for _, n := range []int{1, 3} {
		lines := make([]string, n)
		for i := range lines {
			host := []string{"ritchie", "ritchie2", "ritchie3"}[i]
			l, _ := e.run("machines-line", "root", key, pub, host)
			lines[i] = strings.TrimSpace(l)
		}
		b.Run(fmt.Sprintf("builders=%d", n), func(b *testing.B) {
			for b.Loop() {
				if out, err := e.run("client", e.bin, "verify", "--builders", strings.Join(lines, ";")); err != nil {
					b.Fatalf("%v\n%s", err, out)
				}
			}
		})
	}
}
