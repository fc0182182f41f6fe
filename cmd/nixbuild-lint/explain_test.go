package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestExplainCommand(t *testing.T) {
	out, _, code := runCLI("explain", "../../testdata/explain/other-versions/seed-second-error.txt")
	want := "1. the builder ritchie is x86_64-linux and cannot build aarch64-linux: it neither is that system nor emulates it (unsupported-system)\n" +
		"   fix on ritchie: boot.binfmt.emulatedSystems = [ \"aarch64-linux\" ]; (or stop listing aarch64-linux for it on the client)\n"
	if code != 0 || !strings.HasPrefix(out, want) {
		t.Errorf("exit %d:\n%s", code, out)
	}
	js, _, code := runCLI("explain", "--format", "json", "../../testdata/explain/30-dispatch-auth-fail.txt")
	var doc struct {
		Diagnoses []struct {
			Rule, Host, Cause string
			Line              int
		}
	}
	if err := json.Unmarshal([]byte(js), &doc); err != nil || code != 0 || len(doc.Diagnoses) != 2 || doc.Diagnoses[0].Rule != "client-key-not-authorized" || doc.Diagnoses[0].Line != 8 {
		t.Errorf("json (exit %d, %v): %s", code, err, js)
	}
	out, _, code = runCLI("explain", "../../testdata/explain/60-success-ssh-ng.txt")
	if code != 1 || out != "no known remote-build problem in this output\n" {
		t.Errorf("success output: exit %d %q", code, out)
	}
	if _, errOut, code := runCLI("explain", "/nonexistent/log"); code != 2 || !strings.Contains(errOut, "/nonexistent/log: cannot read") {
		t.Errorf("missing file: exit %d %q", code, errOut)
	}
}
