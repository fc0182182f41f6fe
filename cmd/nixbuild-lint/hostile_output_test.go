package main

// Hostile input against what the tool prints and writes (issue 22, items
// 4, 5, 10, 13, 14 and the weak spots of --fix, explain and verify). The
// fleets are made here, in t.TempDir: file names with control characters,
// immutable files and bind mounts cannot live in the repository.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nixbuild-lint/nixbuild-lint/report"
)

// asMainEnv makes the test binary run as nixbuild-lint itself, for the
// cases that need a process of their own (a pseudo-terminal, a mount
// namespace).
const asMainEnv = "NIXBUILD_LINT_TEST_AS_MAIN"

func init() {
	if os.Getenv(asMainEnv) == "1" {
		os.Exit(run(append([]string{"nixbuild-lint"}, os.Args[1:]...), os.Stdout, os.Stderr))
	}
}

// writeTree writes files (relative path -> content) below a new directory.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// twoHosts is a fleet whose client "desk" (aarch64) sends aarch64 builds to
// "tower" (x86_64, no emulation): one unsupported-system error, fixable.
// deskAttr is the attribute name of desk, deskFile its module's path,
// entry the attributes of its build machine entry besides hostName and
// systems.
func twoHosts(deskAttr, deskFile, entry, deskExtra string) map[string]string {
	return map[string]string{
		"flake.nix": `{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
  outputs = { nixpkgs, ... }: {
    nixosConfigurations.` + deskAttr + ` = nixpkgs.lib.nixosSystem { system = "aarch64-linux"; modules = [ (./. + "/` + deskFile + `") ]; };
    nixosConfigurations.tower = nixpkgs.lib.nixosSystem { system = "x86_64-linux"; modules = [ ./hosts/tower.nix ]; };
  };
}
`,
		deskFile: `{ ... }:
{
  nix.distributedBuilds = true;` + deskExtra + `
  nix.buildMachines = [ { hostName = "tower"; ` + entry + `systems = [ "x86_64-linux" "aarch64-linux" ]; } ];
}
`,
		"hosts/tower.nix": `{ ... }:
{
  services.openssh.enable = true;
}
`,
	}
}

func findingCount(t *testing.T, dir string) int {
	t.Helper()
	out, errOut, code := runCLI("--eval", "static", "--format", "json", dir)
	if code != 1 {
		t.Fatalf("json: exit %d: %s", code, errOut)
	}
	var doc struct{ Findings []any }
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	return len(doc.Findings)
}

// TestHostileGitHubNoForgedCommands: a value of the fleet (a file name, an
// sshUser, a host's attribute name) that holds "::error …" at a line start
// or a newline makes no workflow command of its own; the only lines GitHub
// reads as commands are the annotations, one a finding.
func TestHostileGitHubNoForgedCommands(t *testing.T) {
	forged := "::error file=flake.nix,line=1::FORGED"
	cases := []struct {
		name  string
		files map[string]string
		plain string // the plain line of the first finding, if checked
	}{
		{"file named like a command", twoHosts("desk", forged+".nix", "", ""),
			"%3A:error file=flake.nix,line=1::FORGED.nix:3:3: host desk builds remotely without builders-use-substitutes: it uploads inputs the builders could fetch from a binary cache themselves (no-substitutes-on-builder)"},
		{"file name with a newline", twoHosts("desk", "hosts/x\n"+forged+".nix", "", ""),
			"hosts/x%0A::error file=flake.nix,line=1::FORGED.nix:3:3: host desk builds remotely without builders-use-substitutes: it uploads inputs the builders could fetch from a binary cache themselves (no-substitutes-on-builder)"},
		{"sshUser with a newline", twoHosts("desk", "hosts/desk.nix", `sshUser = "u\n`+forged+`"; `, ""), ""},
		{"sshUser with a CR", twoHosts("desk", "hosts/desk.nix", `sshUser = "u\r`+forged+`"; `, ""), ""},
		{"host attribute with a newline", twoHosts(`"desk\n`+forged+`"`, "hosts/desk.nix", "", ""),
			`hosts/desk.nix:3:3: host desk%0A::error file=flake.nix,line=1::FORGED builds remotely without builders-use-substitutes: it uploads inputs the builders could fetch from a binary cache themselves (no-substitutes-on-builder)`},
		{"unread host named with a newline (stderr)", func() map[string]string {
			f := twoHosts("desk", "hosts/desk.nix", "", "")
			f["flake.nix"] = strings.Replace(f["flake.nix"], "nixosConfigurations.tower =",
				`nixosConfigurations."gone\n`+forged+`" = nixpkgs.lib.nixosSystem { system = "x86_64-linux"; modules = [ ./hosts/missing.nix ]; };
    nixosConfigurations.tower =`, 1)
			return f
		}(), ""},
		{"old ##[ command form", twoHosts("desk", "hosts/desk.nix", `sshUser = "##[error]FORGED"; `, ""), ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := writeTree(t, c.files)
			n := findingCount(t, dir)
			out, errOut, code := runCLI("--eval", "static", "--format", "github", dir)
			if code != 1 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			for _, l := range strings.Split(errOut, "\n") {
				if strings.HasPrefix(strings.TrimLeft(l, " \t"), "::") {
					t.Errorf("stderr line is a workflow command: %q", l)
				}
			}
			lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			if len(lines) != 2*n {
				t.Fatalf("%d lines for %d findings:\n%s", len(lines), n, out)
			}
			annotation := regexp.MustCompile(`^::(error|warning|notice) file=[^,:]*,line=\d+,`)
			for i, l := range lines {
				isCmd := strings.HasPrefix(strings.TrimLeft(l, " \t"), "::")
				// An annotation line is a command (GitHub parses it as such, and
				// tries the old ##[ form only on lines that are not one); a
				// plain line must be neither.
				if i%2 == 0 && !annotation.MatchString(l) || i%2 == 1 && (isCmd || strings.Contains(l, "##[")) {
					t.Errorf("line %d is a workflow command GitHub would run: %q", i+1, l)
				}
				if strings.ContainsAny(l, "\r") {
					t.Errorf("line %d holds a raw CR: %q", i+1, l)
				}
			}
			if c.plain != "" && lines[1] != c.plain {
				t.Errorf("plain line:\n got %q\nwant %q", lines[1], c.plain)
			}
		})
	}
}

// rawControl finds a control character a terminal would act on.
func rawControl(s string) (string, bool) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 && c != '\n' && c != '\t' || c == 0x7f {
			from := max(0, i-30)
			return fmt.Sprintf("%q at byte %d", s[from:min(len(s), i+10)], i), true
		}
	}
	if strings.ContainsRune(s, 0x9b) || strings.ContainsRune(s, 0x202e) {
		return "a C1 control or bidi override", true
	}
	return "", false
}

const escSeq = "\x1b]0;pwned\x07\x1b[2J"

// controlFleet puts control characters in every value that reaches the
// output: a host's attribute name, a module's file name, a comment on a
// finding's line, an sshUser string, a system, and an sshUser read from a
// binary file (NUL, ESC, BEL, CR, a C1 CSI and a bidi override).
func controlFleet(t *testing.T) string {
	t.Helper()
	files := twoHosts(`"desk`+escSeq+`"`, "hosts/desk"+escSeq+".nix",
		`sshUser = "u`+escSeq+`"; `, " # "+escSeq)
	files["hosts/tower.nix"] = `{ ... }:
{
  services.openssh.enable = true;
  nix.buildMachines = [ { hostName = "desk"; sshUser = builtins.readFile ./user.bin; systems = [ "aarch64-linux" "riscv64` + escSeq + `-linux" ]; } ];
  nix.distributedBuilds = true;
}
`
	dir := writeTree(t, files)
	if err := os.WriteFile(filepath.Join(dir, "hosts/user.bin"), []byte("u\x00\x1b[2J\x07\r\u009b2J\u202eevil"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestHostileControlCharacters: every output meant for a terminal or for
// Markdown prints control characters escaped (\x1b), the JSON outputs keep
// them exact (escaped by JSON) and stay valid.
func TestHostileControlCharacters(t *testing.T) {
	dir := controlFleet(t)
	summary := filepath.Join(t.TempDir(), "summary.md")
	t.Setenv("GITHUB_STEP_SUMMARY", summary)
	human := map[string][]string{
		"text":       {"--eval", "static", dir},
		"github":     {"--eval", "static", "--format", "github", dir},
		"hosts":      {"hosts", "--eval", "static", dir},
		"graph":      {"graph", "--eval", "static", dir},
		"graph dot":  {"graph", "--eval", "static", "--format", "dot", dir},
		"diff (err)": {"--eval", "static", "--diff", dir},
	}
	for name, args := range human {
		out, errOut, code := runCLI(args...)
		if code == 2 {
			t.Fatalf("%s: exit 2: %s", name, errOut)
		}
		if name == "diff (err)" {
			out = "" // stdout is the patch, exact (TestHostileDiffOnTerminal)
		}
		for stream, s := range map[string]string{"stdout": out, "stderr": errOut} {
			if where, bad := rawControl(s); bad {
				t.Errorf("%s %s: raw control character: %s", name, stream, where)
			}
		}
		if name != "diff (err)" && !strings.Contains(out, `\x1b]0;pwned\x07\x1b[2J`) {
			t.Errorf("%s: the escaped sequence is not shown:\n%s", name, out)
		}
	}
	md, err := os.ReadFile(summary)
	if err != nil {
		t.Fatal(err)
	}
	if where, bad := rawControl(string(md)); bad {
		t.Errorf("step summary: raw control character: %s", where)
	}
	for _, format := range []string{"json", "sarif", "rdjson"} {
		out, _, _ := runCLI("--eval", "static", "--format", format, dir)
		if !json.Valid([]byte(out)) {
			t.Fatalf("%s: not valid JSON", format)
		}
		if strings.ContainsAny(out, "\x1b\x07\x00\r") {
			t.Errorf("%s: JSON with a raw control character", format)
		}
		var v any
		_ = json.Unmarshal([]byte(out), &v)
		if b, _ := json.Marshal(v); !strings.Contains(string(b), `\u001b]0;pwned\u0007\u001b[2J`) {
			t.Errorf("%s: the value is not kept exact", format)
		}
	}
	// --fix prints what it changed, in a file named with ESC.
	out, errOut, code := runCLI("--eval", "static", "--fix", dir)
	if code == 2 {
		t.Fatalf("--fix: exit 2: %s", errOut)
	}
	if where, bad := rawControl(out + errOut); bad {
		t.Errorf("--fix: raw control character: %s", where)
	}
}

// runAsMain runs the test binary as nixbuild-lint, through the command
// line given (the binary is $0 in sh -c).
func runAsMain(t *testing.T, dir string, shell string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command("sh", append([]string{"-c", shell, os.Args[0]}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), asMainEnv+"=1")
	out, err := cmd.CombinedOutput()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return string(out), code
}

// TestHostileDiffOnTerminal: --diff on a terminal prints control characters
// escaped; into a pipe it is the exact patch git apply needs.
func TestHostileDiffOnTerminal(t *testing.T) {
	if _, err := exec.LookPath("script"); err != nil {
		t.Skip("script (util-linux) not installed: no pseudo-terminal")
	}
	dir := controlFleet(t)
	out, code := runAsMain(t, dir, `script -qec "$0 --eval static --color never --diff ." /dev/null`)
	if code != 1 {
		t.Fatalf("exit %d: %s", code, out)
	}
	out = strings.ReplaceAll(out, "\r\n", "\n") // the terminal's line ends
	if where, bad := rawControl(out); bad {
		t.Errorf("diff on a terminal: raw control character: %s", where)
	}
	if !strings.Contains(out, `"riscv64\x1b]0;pwned\x07\x1b[2J-linux"`) {
		t.Errorf("diff on a terminal does not show the escaped system:\n%s", out)
	}
	piped, _, _ := runCLI("--eval", "static", "--diff", dir)
	if !strings.Contains(piped, `"riscv64`+escSeq+`-linux"`) {
		t.Errorf("piped diff is not the exact patch:\n%q", piped)
	}
	apply := exec.Command("git", "apply", "--unsafe-paths", "--check", "-")
	apply.Dir = dir
	apply.Stdin = strings.NewReader(piped)
	if out, err := apply.CombinedOutput(); err != nil {
		t.Errorf("git apply refuses the piped diff: %v: %s", err, out)
	}
}

// TestHostileStepSummaryMarkdown: a host named "a|<b>x</b>|y" keeps the
// step summary's table five columns wide and puts no HTML in it.
func TestHostileStepSummaryMarkdown(t *testing.T) {
	dir := writeTree(t, twoHosts(`"a|<b>x</b>|y"`, "hosts/desk.nix", "", ""))
	summary := filepath.Join(t.TempDir(), "summary.md")
	t.Setenv("GITHUB_STEP_SUMMARY", summary)
	if _, errOut, code := runCLI("--eval", "static", "--format", "github", dir); code != 1 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	md, err := os.ReadFile(summary)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(md), "<b>") {
		t.Errorf("HTML in the step summary:\n%s", md)
	}
	unescaped := regexp.MustCompile(`(^|[^\\])\|`)
	rows := 0
	for _, l := range strings.Split(string(md), "\n") {
		if !strings.HasPrefix(l, "| ") || strings.HasPrefix(l, "| severity") {
			continue
		}
		rows++
		// The cell separators: "| " at the start, " | " between, " |" at the end.
		if n := len(unescaped.FindAllString(strings.ReplaceAll(l, "||", "| |"), -1)); n != 6 {
			t.Errorf("row with %d cell borders, want 6: %s", n, l)
		}
		if !strings.Contains(l, `a\|&lt;b&gt;x&lt;/b&gt;\|y`) {
			t.Errorf("host cell not escaped: %s", l)
		}
	}
	if rows == 0 {
		t.Fatalf("no finding rows:\n%s", md)
	}
}

// TestHostileLongLineOutputBounded: 5,000 invalid systems on one line
// print a short excerpt each, not the whole 80 KB line under every finding
// (515 MB before).
func TestHostileLongLineOutputBounded(t *testing.T) {
	var systems strings.Builder
	for i := range 5000 {
		fmt.Fprintf(&systems, " \"s%d-linux\"", i)
	}
	files := twoHosts("desk", "hosts/desk.nix", "", "")
	files["hosts/desk.nix"] = "{ ... }:\n{\n  nix.distributedBuilds = true;\n  nix.buildMachines = [ { hostName = \"tower\"; systems = [" + systems.String() + " ]; } ];\n}\n"
	dir := writeTree(t, files)
	out, errOut, code := runCLI("--eval", "static", dir)
	if code != 1 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	n := strings.Count(out, "(invalid-system)")
	if n < 4999 { // one of them is the first in the entry's other findings
		t.Fatalf("%d invalid-system findings, want 5000", n)
	}
	if len(out) > 3<<20 {
		t.Errorf("%d bytes of output for %d findings", len(out), n)
	}
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "…") && len(l) > report.ExcerptWidth+2*len("…") {
			t.Fatalf("excerpt of %d bytes: %.80q", len(l), l)
		}
	}
	if !strings.Contains(out, "\n…\"s2500-linux\"") && !strings.Contains(out, "s2500-linux") {
		t.Errorf("the excerpt does not show the finding's system")
	}
}

// TestHostileFixAndDiffRefused: --fix --diff is one clear line and exit 2,
// and nothing is written.
func TestHostileFixAndDiffRefused(t *testing.T) {
	dir := copyFleet(t, "chained-fix")
	before := snapshot(t, dir)
	out, errOut, code := runCLI("--fix", "--diff", dir)
	if code != 2 || out != "" {
		t.Fatalf("exit %d, stdout %q", code, out)
	}
	if want := "nixbuild-lint: --fix and --diff together: --diff only prints the fixes (writes nothing), --fix writes them (-v also prints the diff); give one\n"; errOut != want {
		t.Errorf("stderr:\n got %q\nwant %q", errOut, want)
	}
	if !equalMaps(before, snapshot(t, dir)) {
		t.Error("files changed")
	}
}

func needRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root (chattr, chown, mount)")
	}
}

// tempFiles lists the temporary files --fix left in dir.
func tempFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	_ = filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && strings.Contains(info.Name(), ".nixbuild-lint-") {
			out = append(out, p)
		}
		return nil
	})
	return out
}

// TestHostileFixRenameFails: when the rename of the second file of a fix
// fails — an immutable file (EPERM), a file with a bind mount over it
// (EBUSY) — the first, already renamed, gets its old content back, the
// error says nothing was written, exit 2, and no temporary file stays.
func TestHostileFixRenameFails(t *testing.T) {
	needRoot(t)
	t.Run("immutable", func(t *testing.T) {
		dir := copyFleet(t, "chained-fix")
		pi := filepath.Join(dir, "hosts/pi.nix")
		if out, err := exec.Command("chattr", "+i", pi).CombinedOutput(); err != nil {
			t.Skipf("chattr +i refused here (%v: %s)", err, out)
		}
		defer func() { _ = exec.Command("chattr", "-i", pi).Run() }()
		before := snapshot(t, dir)
		out, errOut, code := runCLI("--eval", "static", "--fix", dir)
		if code != 2 || out != "" {
			t.Fatalf("exit %d, stdout %q", code, out)
		}
		want := "nixbuild-lint: hosts/pi.nix: cannot replace it (operation not permitted); nothing written (hosts/laptop.nix put back as it was)\n"
		if errOut != want {
			t.Errorf("stderr:\n got %q\nwant %q", errOut, want)
		}
		if !equalMaps(before, snapshot(t, dir)) {
			t.Error("a file changed")
		}
		if left := tempFiles(t, dir); len(left) > 0 {
			t.Errorf("temporary files left: %v", left)
		}
	})
	t.Run("bind mount", func(t *testing.T) {
		if _, err := exec.LookPath("unshare"); err != nil {
			t.Skip("no unshare")
		}
		dir := copyFleet(t, "chained-fix")
		before := snapshot(t, dir)
		over := filepath.Join(t.TempDir(), "pi.nix")
		if err := os.WriteFile(over, []byte(before["hosts/pi.nix"]), 0o644); err != nil {
			t.Fatal(err)
		}
		// In a mount namespace of its own, so the mount ends with the run.
		cmd := exec.Command("unshare", "-m", "--propagation", "private", "sh", "-c",
			`mount --bind "$1" hosts/pi.nix || exit 99; exec "$0" --eval static --fix .`, os.Args[0], over)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), asMainEnv+"=1")
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		}
		if code == 99 || err != nil && code == 0 {
			t.Skipf("the kernel refuses the mount namespace or bind mount here: %v: %s", err, stderr.String())
		}
		if code != 2 || stdout.Len() != 0 {
			t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout.String(), stderr.String())
		}
		want := "nixbuild-lint: hosts/pi.nix: cannot replace it (device or resource busy); nothing written (hosts/laptop.nix put back as it was)\n"
		if stderr.String() != want {
			t.Errorf("stderr:\n got %q\nwant %q", stderr.String(), want)
		}
		if !equalMaps(before, snapshot(t, dir)) {
			t.Error("a file changed")
		}
		if left := tempFiles(t, dir); len(left) > 0 {
			t.Errorf("temporary files left: %v", left)
		}
	})
}

// TestHostileFixKeepsOwnerAndMode: the fixed files keep owner, group and
// every mode bit, setgid and sticky included (root ran --fix on files of
// other users: they stayed theirs).
func TestHostileFixKeepsOwnerAndMode(t *testing.T) {
	needRoot(t)
	dir := copyFleet(t, "chained-fix")
	laptop, pi := filepath.Join(dir, "hosts/laptop.nix"), filepath.Join(dir, "hosts/pi.nix")
	for _, s := range []struct {
		path     string
		uid, gid int
		mode     os.FileMode
	}{{laptop, 1234, 1234, 0o640 | os.ModeSticky}, {pi, 65534, 65534, 0o755 | os.ModeSetgid}} {
		if err := os.Chown(s.path, s.uid, s.gid); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(s.path, s.mode); err != nil {
			t.Fatal(err)
		}
	}
	if _, errOut, code := runCLI("--eval", "static", "--fix", dir); code == 2 {
		t.Fatalf("exit 2: %s", errOut)
	}
	for path, want := range map[string]string{laptop: "1234:1234 " + (0o640 | os.ModeSticky).String(), pi: "65534:65534 " + (0o755 | os.ModeSetgid).String()} {
		st, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		sys := st.Sys().(*syscall.Stat_t)
		mode := st.Mode() & (os.ModePerm | os.ModeSetuid | os.ModeSetgid | os.ModeSticky)
		if got := fmt.Sprintf("%d:%d %s", sys.Uid, sys.Gid, mode); got != want {
			t.Errorf("%s: %s, want %s", filepath.Base(path), got, want)
		}
	}
	if !strings.Contains(snapshot(t, dir)["hosts/laptop.nix"], "emulatedSystems") {
		t.Error("the fix was not written")
	}
}

// TestHostileFixRefusesHardLink: a file with a second hard link is not
// replaced (the other name would keep the old text): one line, exit 2,
// nothing written.
func TestHostileFixRefusesHardLink(t *testing.T) {
	dir := copyFleet(t, "chained-fix")
	if err := os.Link(filepath.Join(dir, "hosts/pi.nix"), filepath.Join(dir, "pi-copy.nix")); err != nil {
		t.Skipf("no hard links here: %v", err)
	}
	before := snapshot(t, dir)
	out, errOut, code := runCLI("--eval", "static", "--fix", dir)
	if code != 2 || out != "" {
		t.Fatalf("exit %d, stdout %q", code, out)
	}
	want := "nixbuild-lint: hosts/pi.nix has 2 hard links: replacing it would leave the other names with the old text (fix it with --diff | git apply, which writes through the link); nothing written\n"
	if errOut != want {
		t.Errorf("stderr:\n got %q\nwant %q", errOut, want)
	}
	if !equalMaps(before, snapshot(t, dir)) {
		t.Error("a file changed")
	}
}

// TestHostileFixRemovesStaleTemps: the temporary files a killed --fix left
// (made here by hand, named as that run named them: its PID, now gone) are
// removed by the next --fix; those of a run still going stay.
func TestHostileFixRemovesStaleTemps(t *testing.T) {
	dir := copyFleet(t, "chained-fix")
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	deadPID := dead.Process.Pid
	stale := filepath.Join(dir, "hosts", ".pi.nix.nixbuild-lint-"+strconv.Itoa(deadPID)+"-123456")
	staleOrig := stale + ".orig"
	live := filepath.Join(dir, "hosts", ".laptop.nix.nixbuild-lint-"+strconv.Itoa(os.Getppid())+"-654321")
	for _, p := range []string{stale, staleOrig, live} {
		if err := os.WriteFile(p, []byte("{ half"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if _, errOut, code := runCLI("--eval", "static", "--fix", dir); code == 2 {
		t.Fatalf("exit 2: %s", errOut)
	}
	left := tempFiles(t, dir)
	if len(left) != 1 || left[0] != live {
		t.Errorf("temporary files left: %v, want only %s", left, live)
	}
}

// TestHostileExplainJSONExitCode: explain exits 1 when it recognises
// nothing, in JSON as in text.
func TestHostileExplainJSONExitCode(t *testing.T) {
	p := filepath.Join(t.TempDir(), "log.txt")
	if err := os.WriteFile(p, []byte("hello world\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"text", "json"} {
		out, _, code := runCLI("explain", "--format", format, p)
		if code != 1 {
			t.Errorf("%s: exit %d: %s", format, code, out)
		}
	}
	out, _, _ := runCLI("explain", "--format", "json", p)
	if out != "{\n  \"diagnoses\": []\n}\n" {
		t.Errorf("json: %q", out)
	}
}

// TestHostileVerifyBuilders: a --builders string with no usable entry is
// exit 2 (it printed an empty table, exit 0); a builder that never answers
// is named as such when --timeout ends the probe.
func TestHostileVerifyBuilders(t *testing.T) {
	_, errOut, code := runCLI("verify", "--builders", "\x01garbage;;;@@")
	if code != 2 || errOut != "nixbuild-lint: --builders: \"ssh://\\x01garbage\": not a host name\n" {
		t.Errorf("garbage: exit %d: %q", code, errOut)
	}
	_, errOut, code = runCLI("verify", "--builders", "tower")
	if code != 2 || !strings.Contains(errOut, "no system given") {
		t.Errorf("no system: exit %d: %q", code, errOut)
	}
	if _, err := exec.LookPath("nix"); err != nil {
		t.Skip("no nix")
	}
	start := time.Now()
	out, _, code := runCLI("verify", "--timeout", "1s", "--format", "json", "--builders", "ssh://10.255.255.1 x86_64-linux")
	if time.Since(start) < time.Second {
		t.Skipf("10.255.255.1 answers at once here (no black hole): %s", out)
	}
	if code != 1 || !strings.Contains(out, "no answer from 10.255.255.1 within 1s (--timeout)") {
		t.Errorf("exit %d: %s", code, out)
	}
}

// TestHostileVerifyTarpit: a builder that accepts the connection and never
// speaks ssh fails after --connect-timeout with ssh's reason, not after the
// whole --timeout (it held the run for the full --timeout). The port comes
// from the caller's own NIX_SSHOPTS, which verify keeps.
func TestHostileVerifyTarpit(t *testing.T) {
	needNix(t)
	addr, conns := tarpit(t)
	_, port, _ := strings.Cut(addr, ":")
	t.Setenv("NIX_SSHOPTS", "-p "+port+" -o BatchMode=yes")
	out, errOut, code := runCLI("verify", "--timeout", "10m", "--connect-timeout", "1s", "--format", "json", "--builders", "ssh://127.0.0.1 x86_64-linux")
	if code != 1 || !strings.Contains(out, "127.0.0.1 accepted the connection on port "+port+" but no ssh server answered in time") {
		t.Errorf("exit %d: %s%s", code, out, errOut)
	}
	if conns.Load() == 0 {
		t.Error("verify never connected to the tarpit: the caller's NIX_SSHOPTS was dropped")
	}
	_, errOut, code = runCLI("verify", "--connect-timeout", "0s", "--builders", "ssh://127.0.0.1 x86_64-linux")
	if code != 2 || !strings.Contains(errOut, "--connect-timeout must be a positive duration") {
		t.Errorf("--connect-timeout 0s: exit %d: %q", code, errOut)
	}
}
