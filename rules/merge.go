package rules

import (
	"fmt"
	"strings"
)

// Merge makes one finding of the findings that several hosts raise at one
// place: a module shared by clients pi1, pi2 and pi3 is one problem, not
// three. Findings merge when rule, location and message (with the host's
// own name taken out) agree. The merged finding names every host (Hosts, in
// the order found) in its message; members[i] lists the indexes in fs of
// merged[i], so callers can gather the fixes of all of them.
func Merge(fs []Finding) (merged []Finding, members [][]int) {
	index := map[string]int{}
	for i, f := range fs {
		key := mergeKey(f)
		if j, ok := index[key]; ok {
			members[j] = append(members[j], i)
			continue
		}
		index[key] = len(merged)
		merged = append(merged, f)
		members = append(members, []int{i})
	}
	for j, m := range members {
		if len(m) == 1 {
			merged[j].Hosts = []string{merged[j].Host}
			continue
		}
		var hosts []string
		seen := map[string]bool{}
		var related []Related
		relSeen := map[string]bool{}
		for _, i := range m {
			if h := fs[i].Host; !seen[h] {
				seen[h] = true
				hosts = append(hosts, h)
			}
			for _, r := range fs[i].Related {
				k := r.Host + "|" + r.At.String() + "|" + maskHost(r.Message, fs[i].Host)
				if !relSeen[k] {
					relSeen[k] = true
					related = append(related, r)
				}
			}
		}
		f := merged[j]
		f.Hosts = hosts
		f.Related = related
		if len(hosts) > 1 {
			msg, unread := cutUnread(fs[m[0]].Message)
			f.Message = nameHosts(msg, fs[m[0]].Host, hosts)
			if unread {
				f.Message += " — unless modules of these hosts that were not read define it (see nixbuild-lint hosts)"
			}
		}
		merged[j] = f
	}
	return merged, members
}

func mergeKey(f Finding) string {
	msg, _ := cutUnread(f.Message)
	return fmt.Sprintf("%s|%s|%d|%d|%s", f.Rule, f.At.String(), f.At.EndLine, f.At.EndColumn, maskHost(msg, f.Host))
}

// unreadNote starts what notRead appends to a finding that rests on an
// absence: each host names its own unread modules.
const unreadNote = " — unless a module of host "

func cutUnread(msg string) (string, bool) {
	if i := strings.Index(msg, unreadNote); i >= 0 {
		return msg[:i], true
	}
	return msg, false
}

const hostMark = "\x00"

// maskHost replaces the host's name where it stands as a whole word
// (host names hold letters, digits, '-' and '_') outside quotes.
func maskHost(msg, host string) string {
	if host == "" {
		return msg
	}
	var b strings.Builder
	for {
		i := strings.Index(msg, host)
		if i < 0 {
			b.WriteString(msg)
			return b.String()
		}
		end := i + len(host)
		// A quoted name is a build machine's, not this host's.
		if (i == 0 || !nameByte(msg[i-1]) && msg[i-1] != '"') && (end == len(msg) || !nameByte(msg[end])) {
			b.WriteString(msg[:i] + hostMark)
		} else {
			b.WriteString(msg[:end])
		}
		msg = msg[end:]
	}
}

func nameByte(c byte) bool {
	return c == '-' || c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// nameHosts rewrites a message of one host into one of several:
//
//	host pi1 has max-jobs = 0 …        → each of hosts pi1, pi2 and pi3 has max-jobs = 0 …
//	build machine "hub" is given …     → build machine "hub" (clients pi1, pi2 and pi3) is given …
//	… pi1 could be cross-compiled …     → … pi1, pi2 and pi3 could be cross-compiled …
func nameHosts(msg, host string, hosts []string) string {
	list := andList(hosts)
	masked := maskHost(msg, host)
	if strings.HasPrefix(masked, "host "+hostMark+" ") {
		rest := strings.TrimPrefix(masked, "host "+hostMark+" ")
		return "each of hosts " + list + " " + strings.ReplaceAll(rest, hostMark, "it")
	}
	if strings.Contains(masked, hostMark) {
		return strings.ReplaceAll(masked, hostMark, list)
	}
	if strings.HasPrefix(msg, "build machine \"") {
		if end := strings.Index(msg[len("build machine \""):], "\""); end >= 0 {
			cut := len("build machine \"") + end + 1
			return msg[:cut] + " (clients " + list + ")" + msg[cut:]
		}
	}
	return msg + " (hosts " + list + ")"
}

func andList(xs []string) string {
	if len(xs) == 1 {
		return xs[0]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}

// MergedFixable reports whether any member of a merged finding has fixes.
func MergedFixable(fs []Finding, members []int) bool {
	for _, i := range members {
		if len(fs[i].Fixes) > 0 {
			return true
		}
	}
	return false
}
