package report

import (
	"fmt"
	"sort"
	"strings"

	"github.com/nixbuild-lint/nixbuild-lint/model"
)

// Coverage says how much of a fleet was read: hosts read of hosts found,
// hosts not read and why, and the modules the reader could not follow,
// grouped by reason. Complete is true when nothing was left unread.
type Coverage struct {
	Complete     bool          `json:"complete"`
	Hosts        int           `json:"hosts"`
	HostsRead    int           `json:"hostsRead"`
	HostsNotRead []HostNotRead `json:"hostsNotRead"`
	Modules      int           `json:"modulesNotRead"`
	Reasons      []Reason      `json:"reasons"`
	// Of the modules not read, those that can define an option the rules
	// read (they may change findings) and those that define none.
	CanChange  int `json:"modulesThatCanChangeFindings,omitempty"`
	DefineNone int `json:"modulesDefiningNone,omitempty"`
}

// HostNotRead is a host whose values are all unknown.
type HostNotRead struct {
	Host   string `json:"host"`
	File   string `json:"file,omitempty"`
	Line   int    `json:"line,omitempty"`
	Why    string `json:"why"`
	Broken bool   `json:"broken,omitempty"`
}

// Reason counts the modules not read for one cause.
type Reason struct {
	Reason string `json:"reason"`
	Count  int    `json:"count"`
}

// CoverageOf measures a fleet.
func CoverageOf(f *model.Fleet) Coverage {
	c := Coverage{HostsNotRead: []HostNotRead{}, Reasons: []Reason{}}
	counts := map[string]int{}
	for _, h := range f.Hosts {
		c.Hosts++
		if h.NotRead != nil {
			c.HostsNotRead = append(c.HostsNotRead, HostNotRead{Host: h.Name, File: h.NotRead.At.File,
				Line: h.NotRead.At.Line, Why: h.NotRead.Why, Broken: h.NotRead.Broken})
			continue
		}
		c.HostsRead++
		for _, u := range h.Unread {
			c.Modules++
			counts[UnreadReason(u)]++
		}
		if len(h.InputModules) == 0 {
			c.CanChange += len(h.Unread)
		}
		for _, m := range h.InputModules {
			switch {
			case !m.Unread():
			case len(m.Defines) > 0:
				c.CanChange++
			default:
				c.DefineNone++
			}
		}
	}
	for r, n := range counts {
		c.Reasons = append(c.Reasons, Reason{Reason: r, Count: n})
	}
	sort.Slice(c.Reasons, func(i, j int) bool {
		if c.Reasons[i].Count != c.Reasons[j].Count {
			return c.Reasons[i].Count > c.Reasons[j].Count
		}
		return c.Reasons[i].Reason < c.Reasons[j].Reason
	})
	c.Complete = c.HostsRead == c.Hosts && c.Modules == 0
	return c
}

// Line is the one-line summary printed on stderr when something was not
// read; it is empty when the coverage is complete. target is the path the
// user checked, for the command that lists the modules.
func (c Coverage) Line(target string) string {
	if c.Complete {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "read %d of %d hosts", c.HostsRead, c.Hosts)
	if len(c.HostsNotRead) > 0 {
		var names []string
		for i, h := range c.HostsNotRead {
			if i == 4 && len(c.HostsNotRead) > 5 {
				names = append(names, fmt.Sprintf("%d more", len(c.HostsNotRead)-4))
				break
			}
			names = append(names, h.Host)
		}
		fmt.Fprintf(&b, " (not read: %s)", strings.Join(names, ", "))
	}
	if c.Modules > 0 {
		fmt.Fprintf(&b, "; %d %s not read", c.Modules, plural(c.Modules, "module", "modules"))
		shown := c.Reasons
		if len(shown) > 3 {
			shown = shown[:3]
		}
		parts := make([]string, len(shown))
		for i, r := range shown {
			parts[i] = fmt.Sprintf("%d× %s", r.Count, r.Reason)
		}
		if rest := len(c.Reasons) - len(shown); rest > 0 {
			parts = append(parts, fmt.Sprintf("%d other %s", rest, plural(rest, "reason", "reasons")))
		}
		fmt.Fprintf(&b, " (%s)", strings.Join(parts, ", "))
		switch {
		case c.DefineNone == 0:
			b.WriteString("; findings resting on them are at info")
		case c.CanChange == 0:
			fmt.Fprintf(&b, "; none can define an option the rules read")
		default:
			fmt.Fprintf(&b, "; %d can define options the rules read (findings resting on those are at info), %d cannot", c.CanChange, c.DefineNone)
		}
	}
	b.WriteString("; list them: nixbuild-lint hosts")
	if target != "" && target != "." {
		b.WriteString(" " + target)
	}
	return b.String()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// UnreadReason groups an unread-module note ("file:line:col: why" or
// "modules list: why") by its cause, without its location; a module of a
// flake input is grouped by the input.
func UnreadReason(u string) string {
	parts := strings.SplitN(u, ": ", 2)
	why := u
	if len(parts) == 2 && (strings.Contains(parts[0], ".nix") || parts[0] == "modules list") {
		why = parts[1]
	}
	for _, prefix := range []string{"module of flake input ", "NixOS module ", "stand-in for flake input ", "flake input "} {
		if strings.HasPrefix(why, prefix) {
			name := strings.Fields(strings.TrimPrefix(why, prefix))
			if len(name) > 0 {
				return prefix + strings.SplitN(name[0], ".", 2)[0]
			}
		}
	}
	if len(why) > 60 {
		why = why[:60] + "…"
	}
	return why
}
