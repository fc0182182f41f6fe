package diagnose

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExplainCapturedMessages feeds the real Nix 2.8 messages (captured by
// the two-host recipe) and texts of other Nix versions; the first
// diagnosis must name the right rule and the host to change.
func TestExplainCapturedMessages(t *testing.T) {
	cases := map[string]struct{ rule, host, contains string }{
		"03-ping-auth-fail.txt":                         {"client-key-not-authorized", "ritchie", "refused the key"},
		"03b-ping-auth-fail-ssh.txt":                    {"client-key-not-authorized", "ritchie", ""},
		"04-ping-unknown-host.txt":                      {"unknown-builder-host", "client", "ritchie.invalid"},
		"05-ping-hostkey-mismatch.txt":                  {"public-host-key-format", "client", "wrong or stale"},
		"06-ping-hostkey-unknown.txt":                   {"public-host-key-format", "client", "does not know ritchie's ED25519 host key"},
		"07-ping-conn-refused.txt":                      {"builder-ssh-disabled", "", "port 2222"},
		"10-no-machine-for-system.txt":                  {"no-builder-for-system", "client", "aarch64-linux"},
		"11-no-machines-at-all.txt":                     {"distributed-builds-disabled", "client", ""},
		"20-builder-no-aarch64-ssh-ng.txt":              {"unsupported-system", "ritchie", "is x86_64-linux and cannot build aarch64-linux"},
		"21-builder-no-aarch64-ssh.txt":                 {"unsupported-system", "ritchie", ""},
		"22-builder-no-aarch64-nix-build-cmd.txt":       {"unsupported-system", "ritchie", ""},
		"30-dispatch-auth-fail.txt":                     {"client-key-not-authorized", "ritchie", ""},
		"31-dispatch-hostkey-mismatch.txt":              {"public-host-key-format", "client", ""},
		"32-dispatch-unknown-host.txt":                  {"unknown-builder-host", "client", ""},
		"33-dispatch-conn-refused.txt":                  {"builder-ssh-disabled", "", ""},
		"34-dispatch-auth-fail-ssh.txt":                 {"client-key-not-authorized", "ritchie", ""},
		"40-untrusted-ssh-ng-sig.txt":                   {"untrusted-builder-user", "ritchie", "ssh user nixremote"},
		"41-untrusted-ssh-sig.txt":                      {"untrusted-builder-user", "ritchie", ""},
		"42-untrusted-ssh-ng-noinputs.txt":              {"untrusted-builder-user", "ritchie", "input-addressed"},
		"43-untrusted-ssh-ng-ca-input.txt":              {"untrusted-builder-user", "ritchie", ""},
		"44-untrusted-signed-input.txt":                 {"untrusted-builder-user", "ritchie", "signing does not help"},
		"50-no-binfmt.txt":                              {"extra-platforms-without-emulation", "ritchie", "no QEMU binfmt registration"},
		"other-versions/seed-first-error.txt":           {"", "client", "not a system mismatch"},
		"other-versions/seed-second-error.txt":          {"unsupported-system", "ritchie", "boot.binfmt.emulatedSystems"},
		"other-versions/nix-2.12-table-features.txt":    {"unsupported-feature", "client", "big-parallel"},
		"other-versions/nix-2.12-table-mandatory.txt":   {"mandatory-features-misuse", "client", ""},
		"other-versions/nix-2.30-cannot-build.txt":      {"unsupported-system", "ritchie", ""},
		"other-versions/nix-2.34-platform-mismatch.txt": {"unsupported-system", "laptop", ""},
		"other-versions/nix-2.34-missing-features.txt":  {"unsupported-feature", "gpubox", "kvm, nixos-test"},
		"other-versions/nix-2.8-feature-mismatch.txt":   {"unsupported-feature", "127.0.0.1", "gccarch-foo"},
		"other-versions/nix-2.21-unable.txt":            {"distributed-builds-disabled", "client", ""},
		"other-versions/nologin-ssh.txt":                {"builder-user-no-shell", "ritchie", "users.users.nixremote.shell"},
		"other-versions/macos-no-nix-on-path.txt":       {"", "mac", "remote-program"},
		"other-versions/builder-max-jobs-zero.txt":      {"builder-max-jobs-zero", "ritchie", ""},
		"other-versions/port-in-hostname.txt":           {"hostname-has-scheme-or-user", "client", "2222"},
		"other-versions/lacks-signature-2.12.txt":       {"untrusted-builder-user", "ritchie", ""},
		"other-versions/waiting.txt":                    {"zero-max-jobs", "client", ""},
		"other-versions/ignoring-builders.txt":          {"", "client", "not trusted"},
		"other-versions/bad-machine.txt":                {"machines-file-syntax", "client", "column #3"},
		"other-versions/shell-noise.txt":                {"", "ritchie", "Welcome to ritchie!"},
		"other-versions/banner-timeout-ping.txt":        {"", "127.0.0.1", "accepted the connection on port 2399 but no ssh server answered"},
		"other-versions/banner-timeout-dispatch.txt":    {"", "127.0.0.1", "accepted the connection on port 2399"},
	}
	for name, want := range cases {
		data, err := os.ReadFile(filepath.Join("../testdata/explain", name))
		if err != nil {
			t.Fatal(err)
		}
		ds := Explain(string(data))
		if len(ds) == 0 {
			t.Errorf("%s: no diagnosis", name)
			continue
		}
		d := ds[0]
		all := d.Cause + " " + d.Change
		if d.Rule != want.rule || want.host != "" && d.Host != want.host || !strings.Contains(all, want.contains) {
			t.Errorf("%s: got %+v, want rule %q host %q mentioning %q", name, d, want.rule, want.host, want.contains)
		}
		if d.Line < 1 || d.Evidence == "" {
			t.Errorf("%s: no evidence line: %+v", name, d)
		}
	}
	// Successful runs and pings explain nothing.
	for _, ok := range []string{"01-ping-ssh-ng-ok.txt", "02-ping-ssh-ok.txt", "08-ping-untrusted-ok.txt", "60-success-ssh-ng.txt", "61-success-ssh.txt", "66-success-untrusted-made-trusted.txt"} {
		data, _ := os.ReadFile(filepath.Join("../testdata/explain", ok))
		if ds := Explain(string(data)); len(ds) != 0 {
			t.Errorf("%s: want no diagnosis, got %+v", ok, ds)
		}
	}
	// After a connection failure, the table is not a system mismatch.
	data, _ := os.ReadFile("../testdata/explain/30-dispatch-auth-fail.txt")
	ds := Explain(string(data))
	if len(ds) < 2 || !strings.Contains(ds[1].Cause, "disabled it after the connection failure") {
		t.Errorf("30: the table after the auth failure should be explained as such: %+v", ds)
	}
}

func TestCleanStripsNULAndCR(t *testing.T) {
	if got := Clean("a\x00b\r\n\x01c\x05"); got != "ab\nc" {
		t.Errorf("Clean = %q", got)
	}
}
