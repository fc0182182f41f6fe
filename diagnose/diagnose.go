// Package diagnose reads what Nix printed when a remote build failed and
// names the cause, the rule that would have caught it, the host to change
// and the change. verify and explain share it.
package diagnose

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
)

// Diagnosis is one cause found in Nix's output.
type Diagnosis struct {
	Rule     string `json:"rule"`     // the nixbuild-lint rule for this cause ("" if none)
	Cause    string `json:"cause"`    // what went wrong
	Host     string `json:"host"`     // where to change something: a builder's name, or "client"
	Change   string `json:"change"`   // the change that fixes it
	Evidence string `json:"evidence"` // the line of Nix's output that shows it
	Line     int    `json:"line"`     // its line number (1-based)
}

// Clean removes what Nix 2.8 and ssh add around messages: NUL bytes and
// the serialised-error junk around them, and carriage returns.
func Clean(text string) string {
	text = strings.ReplaceAll(text, "\r", "")
	var b strings.Builder
	for _, r := range text {
		if r == 0 || r < 32 && r != '\n' && r != '\t' {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

var (
	reIAm        = regexp.MustCompile(`a '([^']+)' with features \{([^}]*)\} is required to build '([^']+)', but I am a '([^']+)' with features \{([^}]*)\}`)
	reBuildOn    = regexp.MustCompile(`build of '[^']+' on '([^']+)' failed`)
	reBuiltOnly  = regexp.MustCompile(`building '[^']+' on '([^']+)'`)
	reBuildingOn = regexp.MustCompile(`(?:building '[^']+' on|copying path '[^']+' to) '([^']+)'`)
	reCannotOn   = regexp.MustCompile(`cannot build on '([^']+)': (.*)`)
	reRequired   = regexp.MustCompile(`^required \(system, features\): \(([^,]*), ?\[?([^)\]]*)\]?\)`)
	reMachineRow = regexp.MustCompile(`^\((\[?[^,\]]*(?:, [^,\]]+)*\]?), (\d+), (\[?[^\]]*?\]?), (\[?[^\]]*?\]?)\)$`)
	reRequiredV2 = regexp.MustCompile(`Required system: '([^']+)'(?: with features \{([^}]*)\})?`)
	reCurrentV2  = regexp.MustCompile(`Current system: '([^']+)'(?: with features \{([^}]*)\})?`)
	reReqFeat    = regexp.MustCompile(`Required features: \{([^}]*)\}`)
	reAvailFeat  = regexp.MustCompile(`Available features: \{([^}]*)\}`)
	reResolve    = regexp.MustCompile(`Could not resolve hostname ([^:\s]+(?::\d+)?)`)
	reNoKnown    = regexp.MustCompile(`No (\S+) host key is known for (\S+)`)
	reDenied     = regexp.MustCompile(`(\S+@\S+): Permission denied \(([^)]*)\)`)
	reRefused    = regexp.MustCompile(`connect to host (\S+) port (\d+): Connection refused`)
	reBannerWait = regexp.MustCompile(`Connection to (\S+) port (\d+) timed out`)
	reMismatch   = regexp.MustCompile(`protocol mismatch(?: from '[^']*')?, got '([^']*)'`)
	reNotFound   = regexp.MustCompile(`(nix-store|nix-daemon): (?:command )?not found|command not found: (nix-store|nix-daemon)|(\S*/nix-(?:store|daemon)): No such file or directory`)
)

// BuiltOn is the machine Nix says it built a derivation on ("" if none).
func BuiltOn(output string) string {
	for _, line := range strings.Split(Clean(output), "\n") {
		if m := reBuiltOnly.FindStringSubmatch(line); m != nil {
			return m[1]
		}
	}
	return ""
}

// HostOf turns a store URI (ssh-ng://user@host?…) into its host name.
func HostOf(uri string) string {
	if _, rest, ok := strings.Cut(uri, "://"); ok {
		uri = rest
	}
	uri, _, _ = strings.Cut(uri, "?")
	if i := strings.LastIndexByte(uri, '@'); i >= 0 {
		uri = uri[i+1:]
	}
	return uri
}

func userOf(uri string) string {
	if _, rest, ok := strings.Cut(uri, "://"); ok {
		uri = rest
	}
	if i := strings.LastIndexByte(uri, '@'); i >= 0 {
		return uri[:i]
	}
	return "root"
}

func splitSet(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
		if f != "" {
			out = append(out, f)
		}
	}
	sort.Strings(out)
	return out
}

func missing(need, have []string) []string {
	h := map[string]bool{}
	for _, x := range have {
		h[x] = true
	}
	var out []string
	for _, x := range need {
		if !h[x] {
			out = append(out, x)
		}
	}
	return out
}

// MaxLine is the longest line Explain looks at: the rest of a longer line
// is dropped (Nix's messages are short; a megabyte line is no message).
const MaxLine = 64 << 10

// MaxLog is the most ReadLog keeps of a log (lines cut at MaxLine).
const MaxLog = 256 << 20

// ReadLog reads Nix's output from r, line by line, each line cut at
// MaxLine: memory stays bounded by MaxLog whatever the input's shape.
func ReadLog(r io.Reader) (string, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	var b strings.Builder
	for {
		line, err := readLine(br)
		b.Write(line)
		if b.Len() > MaxLog {
			return "", fmt.Errorf("too large (more than %d bytes kept)", MaxLog)
		}
		if errors.Is(err, io.EOF) {
			return b.String(), nil
		}
		if err != nil {
			return "", err
		}
	}
}

// readLine is the next line of br with its newline, cut at MaxLine; the
// cut part is read and dropped.
func readLine(br *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if room := MaxLine - len(line); room > 0 {
			line = append(line, chunk[:min(len(chunk), room)]...)
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if len(chunk) > 0 && chunk[len(chunk)-1] == '\n' && (len(line) == 0 || line[len(line)-1] != '\n') {
			line = append(line, '\n')
		}
		return line, err
	}
}

// Explain classifies Nix's output. The first diagnosis is the root cause.
func Explain(text string) []Diagnosis {
	lines := strings.Split(Clean(text), "\n")
	for i, l := range lines {
		if len(l) > MaxLine {
			lines[i] = l[:MaxLine]
		}
	}
	var out []Diagnosis
	seen := map[string]bool{}
	add := func(d Diagnosis, line int) {
		key := d.Rule + "|" + d.Host + "|" + d.Change
		if seen[key] {
			return
		}
		seen[key] = true
		d.Line = line + 1
		d.Evidence = strings.TrimSpace(lines[line])
		out = append(out, d)
	}
	lastURI := ""       // the machine the last connection error was about
	connFailed := false // a "cannot build on" came before a table
	// ssh prints its complaint before Nix names the machine: start with the
	// first machine the output names.
	for _, line := range lines {
		for _, re := range []*regexp.Regexp{reCannotOn, reBuildOn, reBuildingOn} {
			if m := re.FindStringSubmatch(line); m != nil && lastURI == "" {
				lastURI = m[1]
			}
		}
	}
	for i, line := range lines {
		if m := reCannotOn.FindStringSubmatch(line); m != nil {
			lastURI, connFailed = m[1], true
		}
		if m := reBuildOn.FindStringSubmatch(line); m != nil {
			lastURI = m[1]
		}
		if m := reBuildingOn.FindStringSubmatch(line); m != nil {
			lastURI = m[1]
		}
		host := HostOf(lastURI)
		if host == "" {
			host = "the builder"
		}
		switch {
		case reIAm.MatchString(line):
			m := reIAm.FindStringSubmatch(line)
			if m[1] != m[4] {
				add(Diagnosis{Rule: "unsupported-system", Host: host,
					Cause:  fmt.Sprintf("the builder %s is %s and cannot build %s: it neither is that system nor emulates it", host, m[4], m[1]),
					Change: fmt.Sprintf("boot.binfmt.emulatedSystems = [ %q ]; (or stop listing %s for it on the client)", m[1], m[1])}, i)
			} else if miss := missing(splitSet(m[2]), splitSet(m[5])); len(miss) > 0 {
				add(Diagnosis{Rule: "unsupported-feature", Host: host,
					Cause:  fmt.Sprintf("the builder %s lacks the system features %s that the derivation requires", host, strings.Join(miss, ", ")),
					Change: fmt.Sprintf("drop %s from the client's supportedFeatures for %s, or give %s those features (extra-system-features) if it has them", strings.Join(miss, ", "), host, host)}, i)
			}
		case strings.Contains(line, "Reason: platform mismatch") || strings.Contains(line, "Reason: required system or feature not available") || strings.Contains(line, "Reason: missing system features"):
			req, cur := "", ""
			var reqF, avail []string
			for j := i; j < len(lines) && j < i+6; j++ {
				if m := reRequiredV2.FindStringSubmatch(lines[j]); m != nil {
					req, reqF = m[1], splitSet(m[2])
				}
				if m := reCurrentV2.FindStringSubmatch(lines[j]); m != nil {
					cur, avail = m[1], splitSet(m[2])
				}
				if m := reReqFeat.FindStringSubmatch(lines[j]); m != nil {
					reqF = splitSet(m[1])
				}
				if m := reAvailFeat.FindStringSubmatch(lines[j]); m != nil {
					avail = splitSet(m[1])
				}
			}
			if req != "" && cur != "" && req != cur {
				add(Diagnosis{Rule: "unsupported-system", Host: host,
					Cause:  fmt.Sprintf("the builder %s is %s and cannot build %s", host, cur, req),
					Change: fmt.Sprintf("boot.binfmt.emulatedSystems = [ %q ]; (or stop listing %s for it on the client)", req, req)}, i)
			} else if miss := missing(reqF, avail); len(miss) > 0 {
				add(Diagnosis{Rule: "unsupported-feature", Host: host,
					Cause:  fmt.Sprintf("the builder %s lacks the system features %s", host, strings.Join(miss, ", ")),
					Change: fmt.Sprintf("drop %s from the client's supportedFeatures for %s", strings.Join(miss, ", "), host)}, i)
			} else if strings.Contains(line, "local builds are disabled") || strings.Contains(strings.Join(lines[i:min(i+3, len(lines))], "\n"), "max-jobs = 0") {
				add(Diagnosis{Rule: "builder-max-jobs-zero", Host: host, Cause: fmt.Sprintf("%s may not build (max-jobs = 0)", host), Change: "nix.settings.max-jobs = \"auto\";"}, i)
			}
		case strings.Contains(line, "Failed to find a machine for remote build!"):
			out = append(out, explainTable(lines, i, connFailed)...)
		case reResolve.MatchString(line):
			name := reResolve.FindStringSubmatch(line)[1]
			d := Diagnosis{Rule: "unknown-builder-host", Host: "client",
				Cause:  fmt.Sprintf("root on the client cannot resolve %q: the Nix daemon's ssh runs as root and does not see a user's ~/.ssh/config aliases", name),
				Change: fmt.Sprintf("use a name or address root can resolve, or define %q for root in programs.ssh.extraConfig", name)}
			if strings.Contains(name, ":") {
				d.Rule = "hostname-has-scheme-or-user"
				d.Cause = fmt.Sprintf("Nix before 2.31 passes the port in %q to ssh as part of the host name", name)
				d.Change = "drop the port from hostName and set it for root in programs.ssh.extraConfig (Host … / Port …)"
			}
			add(d, i)
		case strings.Contains(line, "REMOTE HOST IDENTIFICATION HAS CHANGED"):
			add(Diagnosis{Rule: "public-host-key-format", Host: "client",
				Cause:  "the builder's host key is not the one the client expects: the publicHostKey of the entry (or root's known_hosts) is wrong or stale",
				Change: "set publicHostKey to the output of `base64 -w0 /etc/ssh/ssh_host_ed25519_key.pub` on the builder"}, i)
		case reNoKnown.MatchString(line):
			m := reNoKnown.FindStringSubmatch(line)
			add(Diagnosis{Rule: "public-host-key-format", Host: "client",
				Cause:  fmt.Sprintf("root on the client does not know %s's %s host key (a user accepting it does not help: the daemon runs ssh as root)", m[2], m[1]),
				Change: fmt.Sprintf("set the entry's publicHostKey (base64 -w0 of %s's ssh_host_ed25519_key.pub) or programs.ssh.knownHosts.%s.publicKey", m[2], m[2])}, i)
		case strings.Contains(line, "Host key verification failed.") && !hasRule(out, "public-host-key-format"):
			add(Diagnosis{Rule: "public-host-key-format", Host: "client",
				Cause:  "ssh refused the builder's host key: root on the client does not know it, or publicHostKey is not the base64 of the whole key line",
				Change: "set publicHostKey = base64 -w0 of the builder's /etc/ssh/ssh_host_ed25519_key.pub (the whole line, base64-encoded)"}, i)
		case reDenied.MatchString(line):
			m := reDenied.FindStringSubmatch(line)
			user, h := m[1][:strings.LastIndexByte(m[1], '@')], m[1][strings.LastIndexByte(m[1], '@')+1:]
			rule := "client-key-not-authorized"
			change := fmt.Sprintf("on %s: add the public half of the key the client's daemon offers (sshKey, else root's IdentityFile or ~/.ssh/id_*) to users.users.%s.openssh.authorizedKeys.keys, and check that sshd's AllowUsers/AllowGroups admit %s; on the client: sshKey must be a passphrase-less key root can read", h, user, user)
			if user == "root" {
				// The message is the same when PermitRootLogin is "no"
				// (root-login-refused, which nixbuild-lint finds in the fleet).
				change = fmt.Sprintf("authorize the public half of the key the client's daemon offers for root on %s (users.users.root.openssh.authorizedKeys.keys), or (better) use a dedicated trusted sshUser; check that %s's PermitRootLogin is not \"no\"", h, h)
			}
			add(Diagnosis{Rule: rule, Host: h, Cause: fmt.Sprintf("%s refused the key offered for %s", h, user), Change: change}, i)
		case reRefused.MatchString(line):
			m := reRefused.FindStringSubmatch(line)
			add(Diagnosis{Rule: "builder-ssh-disabled", Host: host,
				Cause:  fmt.Sprintf("nothing listens on %s port %s: the builder's SSH server is off, or the port is wrong", m[1], m[2]),
				Change: "services.openssh.enable = true; (and the port in root's ssh configuration on the client, if it is not 22)"}, i)
		case strings.Contains(line, "Connection timed out during banner exchange"):
			// ssh's ConnectTimeout ended the wait for the server's greeting;
			// the next line names the host and port.
			h, port := host, "22"
			if i+1 < len(lines) {
				if m := reBannerWait.FindStringSubmatch(lines[i+1]); m != nil {
					h, port = m[1], m[2]
				}
			}
			add(Diagnosis{Rule: "", Host: h,
				Cause:  fmt.Sprintf("%s accepted the connection on port %s but no ssh server answered in time: sshd is hung or overloaded, or something else listens on that port", h, port),
				Change: "check the builder's sshd (systemctl status sshd) and the port in root's ssh configuration on the client"}, i)
		case strings.Contains(line, "This account is currently not available"):
			add(Diagnosis{Rule: "builder-user-no-shell", Host: host,
				Cause:  fmt.Sprintf("the ssh user (%s) on %s has no login shell (nologin)", userOf(lastURI), host),
				Change: fmt.Sprintf("users.users.%s.shell = pkgs.bashInteractive;", userOf(lastURI))}, i)
		case reMismatch.MatchString(line):
			m := reMismatch.FindStringSubmatch(line)
			add(Diagnosis{Rule: "", Host: host,
				Cause:  fmt.Sprintf("the ssh user's shell on %s printed %q before Nix could talk: shell start-up output (banners, locale warnings) breaks the protocol", host, m[1]),
				Change: "keep the non-interactive shell start-up on the builder silent"}, i)
		case reNotFound.MatchString(line):
			add(Diagnosis{Rule: "", Host: host,
				Cause:  fmt.Sprintf("Nix is not on the PATH of non-interactive ssh sessions on %s (usual on macOS and non-NixOS builders)", host),
				Change: "append ?remote-program=/nix/var/nix/profiles/default/bin/nix-daemon (ssh-ng) or …/nix-store (ssh) to the hostName, or fix the builder's shell PATH"}, i)
		case strings.Contains(line, "lacks a valid signature") || strings.Contains(line, "lacks a signature by a trusted key"):
			add(Diagnosis{Rule: "untrusted-builder-user", Host: host,
				Cause:  fmt.Sprintf("the builder %s does not trust the ssh user %s, so it refuses the client's unsigned paths", host, userOf(lastURI)),
				Change: fmt.Sprintf("nix.settings.trusted-users = [ %q ]; (or sign the client's paths and trust that key on the builder)", userOf(lastURI))}, i)
		case strings.Contains(line, "not privileged to build input-addressed derivations"):
			add(Diagnosis{Rule: "untrusted-builder-user", Host: host,
				Cause:  fmt.Sprintf("the builder %s does not trust the ssh user %s, and only trusted users may build input-addressed derivations (signing does not help here)", host, userOf(lastURI)),
				Change: fmt.Sprintf("nix.settings.trusted-users = [ %q ];", userOf(lastURI))}, i)
		case strings.Contains(line, "Exec format error"):
			add(Diagnosis{Rule: "extra-platforms-without-emulation", Host: host,
				Cause:  fmt.Sprintf("the builder %s accepted the build (extra-platforms) but cannot run its binaries: no QEMU binfmt registration", host),
				Change: "use boot.binfmt.emulatedSystems instead of setting extra-platforms by hand"}, i)
		case strings.Contains(line, "waiting for a machine to build"):
			add(Diagnosis{Rule: "zero-max-jobs", Host: "client",
				Cause:  "Nix keeps postponing: a matching machine has no free slot (maxJobs = 0, or all slots busy)",
				Change: "give the entry maxJobs ≥ 1"}, i)
		case strings.Contains(line, "nable to start any build"):
			switch {
			case reBuildOn.MatchString(line):
				add(Diagnosis{Rule: "builder-max-jobs-zero", Host: host,
					Cause:  fmt.Sprintf("the builder %s itself has max-jobs = 0 and refuses the build (client options are not forwarded)", host),
					Change: "nix.settings.max-jobs = \"auto\";"}, i)
			case strings.Contains(line, "remote machines may not have all required system features"):
				// explained by the table before it
			default:
				add(Diagnosis{Rule: "distributed-builds-disabled", Host: "client",
					Cause:  "the client may not build locally (max-jobs = 0) and has no usable build machines: builders is empty (nix.distributedBuilds off) or the machines file is missing or empty",
					Change: "nix.distributedBuilds = true; and nix.buildMachines entries"}, i)
			}
		case strings.Contains(line, "ignoring the client-specified setting 'builders'"):
			add(Diagnosis{Rule: "", Host: "client",
				Cause:  "the daemon ignored --builders because the calling user is not trusted on the client",
				Change: "configure builders in nix.buildMachines, or run as a trusted user"}, i)
		case strings.Contains(line, "bad machine specification"):
			add(Diagnosis{Rule: "machines-file-syntax", Host: "client",
				Cause:  "Nix cannot read the machines file: " + strings.TrimSpace(line[max(0, strings.Index(line, "bad machine specification")):]),
				Change: "fix the entry (nixbuild-lint machines /etc/nix/machines shows where)"}, i)
		case strings.Contains(line, "Nix daemon disconnected unexpectedly"):
			add(Diagnosis{Rule: "", Host: host,
				Cause:  fmt.Sprintf("the remote Nix on %s went away: not on the PATH of the ssh session, or it crashed", host),
				Change: "check `ssh <builder> nix-daemon --version` as root from the client"}, i)
		}
	}
	return out
}

func hasRule(ds []Diagnosis, rule string) bool {
	for _, d := range ds {
		if d.Rule == rule {
			return true
		}
	}
	return false
}

// explainTable reads "Failed to find a machine" and its table.
func explainTable(lines []string, at int, connFailed bool) []Diagnosis {
	var reqSys string
	var reqFeat []string
	type machine struct {
		systems, sup, mand []string
		maxJobs            string
	}
	var ms []machine
	reqLine := at
	for j := at + 1; j < len(lines) && j < at+64; j++ {
		l := strings.TrimSpace(lines[j])
		if m := reRequired.FindStringSubmatch(l); m != nil {
			reqSys, reqFeat, reqLine = strings.TrimSpace(m[1]), splitSet(m[2]), j
			continue
		}
		if m := reMachineRow.FindStringSubmatch(l); m != nil {
			ms = append(ms, machine{systems: splitSet(strings.Trim(m[1], "[]")), maxJobs: m[2],
				sup: splitSet(strings.Trim(m[3], "[]")), mand: splitSet(strings.Trim(m[4], "[]"))})
			continue
		}
		if strings.HasPrefix(l, "error:") || strings.HasPrefix(l, "Failed to find") && j > at {
			break
		}
	}
	ev := func(d Diagnosis, line int) Diagnosis {
		d.Line, d.Evidence = line+1, strings.TrimSpace(lines[line])
		return d
	}
	listed := false
	for _, m := range ms {
		for _, s := range m.systems {
			if s == reqSys {
				listed = true
			}
		}
	}
	if !listed {
		return []Diagnosis{ev(Diagnosis{Rule: "no-builder-for-system", Host: "client",
			Cause:  fmt.Sprintf("no build machine of the client lists %s (check the spelling: Nix wants exact doubles such as aarch64-linux)", reqSys),
			Change: fmt.Sprintf("add %q to the systems of a build machine that can build it (and make that builder emulate it if needed)", reqSys)}, reqLine)}
	}
	for _, m := range ms {
		if m.maxJobs == "0" {
			return []Diagnosis{ev(Diagnosis{Rule: "zero-max-jobs", Host: "client",
				Cause: "a matching machine has maxJobs = 0 and never gets a slot", Change: "give it maxJobs ≥ 1"}, at)}
		}
	}
	if connFailed {
		return []Diagnosis{ev(Diagnosis{Rule: "", Host: "client",
			Cause:  fmt.Sprintf("not a system mismatch: the table lists a machine for %s, but Nix disabled it after the connection failure above and printed the table again", reqSys),
			Change: "fix the connection failure; the machine's systems are fine"}, at)}
	}
	for _, m := range ms {
		if miss := missing(reqFeat, append(append([]string{}, m.sup...), m.mand...)); len(miss) > 0 {
			return []Diagnosis{ev(Diagnosis{Rule: "unsupported-feature", Host: "client",
				Cause:  fmt.Sprintf("the derivation requires %s, and no machine for %s lists them", strings.Join(miss, ", "), reqSys),
				Change: fmt.Sprintf("add %s to the supportedFeatures of a builder that really has them", strings.Join(miss, ", "))}, reqLine)}
		}
		if extra := missing(m.mand, reqFeat); len(extra) > 0 {
			return []Diagnosis{ev(Diagnosis{Rule: "mandatory-features-misuse", Host: "client",
				Cause:  fmt.Sprintf("the machine for %s only takes derivations that require %s (mandatoryFeatures)", reqSys, strings.Join(extra, ", ")),
				Change: "move those features to supportedFeatures"}, reqLine)}
		}
	}
	return []Diagnosis{ev(Diagnosis{Rule: "", Host: "client",
		Cause:  fmt.Sprintf("not a system mismatch: a build machine does list %s; Nix prints this table again after it failed to connect to that machine (or found all its slots busy), so the cause is reaching the builder", reqSys),
		Change: "run nixbuild-lint verify (or sudo nix store ping --store <the machine's URI>) to see why the connection fails"}, at)}
}
