// Package gitsafe runs git in a repository the user may not have written
// (a fork's checkout, an unpacked archive): with nothing of the
// repository's own configuration that runs a program.
//
// A repository's .git/config can name programs git runs on its own:
// core.fsmonitor (run by ls-files and status to list changed files), hooks
// (core.hooksPath), a pager, an external diff, clean and smudge filters.
// Command turns every one of these off on git's command line, which wins
// over any configuration file, and keeps git from writing the index or
// asking for anything.
package gitsafe

import (
	"os"
	"os/exec"
)

// safeConfig overrides what a repository could set to run a program.
var safeConfig = []string{
	"core.fsmonitor=false",
	"core.hooksPath=/dev/null",
	"core.pager=cat",
	"core.untrackedCache=false",
	"core.sshCommand=false",
	"core.askPass=",
	"credential.helper=",
	"diff.external=",
	"protocol.allow=never",
}

// Command is git args run in dir, made safe as the package says.
func Command(dir string, args ...string) *exec.Cmd {
	full := []string{"--no-pager", "-C", dir}
	for _, c := range safeConfig {
		full = append(full, "-c", c)
	}
	full = append(full, "--no-optional-locks")
	cmd := exec.Command("git", append(full, args...)...)
	cmd.Env = append(os.Environ(),
		"GIT_OPTIONAL_LOCKS=0",
		"GIT_TERMINAL_PROMPT=0",
		"GIT_PAGER=cat",
		"GIT_EXTERNAL_DIFF=",
		"GIT_ASKPASS=",
		"GIT_SSH_COMMAND=false",
	)
	return cmd
}
