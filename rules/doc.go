package rules

import (
	"fmt"
	"strings"
)

// Doc renders a rule's documentation as Markdown, shellcheck-style.
func Doc(r *Rule) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s (%s)\n\n%s.\n\nSeverity: %s. Fixable: %s.\n\n", r.Name, r.Code, r.Title, r.Severity, yesNo(r.Fixable))
	fmt.Fprintf(&b, "## Problematic configuration\n\n```nix\n%s\n```\n\n", r.Bad)
	fmt.Fprintf(&b, "## Correct configuration\n\n```nix\n%s\n```\n\n", r.Good)
	fmt.Fprintf(&b, "## Why\n\n%s\n", r.Why)
	return b.String()
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
