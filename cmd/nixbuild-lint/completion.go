package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/nixbuild-lint/nixbuild-lint/rules"
	"github.com/urfave/cli/v2"
)

// completeFlag ends the words a shell's completion function passes: the
// tool prints the candidates for the next word, one a line, and the shell
// keeps those that start with what was typed.
const completeFlag = "--generate-bash-completion"

// complete prints the candidates after words (the command line without the
// program and without the word being typed).
func complete(app *cli.App, words []string, out io.Writer) {
	cmd := ""
	if len(words) > 0 && !strings.HasPrefix(words[0], "-") {
		cmd = words[0]
	}
	prev := ""
	if len(words) > 0 {
		prev = words[len(words)-1]
	}
	var cands []string
	switch prev {
	case "--format", "-f":
		switch cmd {
		case "hosts", "verify", "explain":
			cands = []string{"text", "json"}
		case "graph":
			cands = []string{"mermaid", "dot"}
		default:
			cands = []string{"text", "json", "github", "sarif", "rdjson"}
		}
	case "--fail-level":
		cands = []string{"info", "warning", "error"}
	case "--eval":
		cands = []string{"auto", "static", "nix"}
	case "--color":
		cands = []string{"auto", "always", "never"}
	case "--host":
		cands = hostSuggestions(".")
	default:
		switch cmd {
		case "rules":
			for _, r := range rules.All() {
				cands = append(cands, r.Name)
			}
		case "help":
			for _, c := range app.Commands {
				cands = append(cands, c.Name)
			}
		case "completion":
			cands = []string{"bash", "zsh", "fish"}
		case "":
			for _, c := range app.Commands {
				cands = append(cands, c.Name)
			}
			cands = append(cands, flagNames(app.Flags)...)
		default:
			if c := app.Command(cmd); c != nil {
				cands = flagNames(c.Flags)
			}
		}
	}
	for _, c := range cands {
		fmt.Fprintln(out, c)
	}
}

func flagNames(flags []cli.Flag) []string {
	var out []string
	for _, f := range flags {
		for _, n := range f.Names() {
			if len(n) > 1 {
				out = append(out, "--"+n)
			}
		}
	}
	return out
}

// hostSuggestions offers NAME=PATH for the host modules under ./hosts:
// hosts/<name>.nix, hosts/<name>/configuration.nix or default.nix.
func hostSuggestions(root string) []string {
	ents, err := os.ReadDir(filepath.Join(root, "hosts"))
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range ents {
		name := e.Name()
		switch {
		case !e.IsDir() && strings.HasSuffix(name, ".nix"):
			out = append(out, strings.TrimSuffix(name, ".nix")+"=hosts/"+name)
		case e.IsDir():
			for _, f := range []string{"configuration.nix", "default.nix"} {
				if _, err := os.Stat(filepath.Join(root, "hosts", name, f)); err == nil {
					out = append(out, name+"=hosts/"+name+"/"+f)
					break
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

// completionScripts are what `nixbuild-lint completion SHELL` prints: each
// asks the tool for the candidates of the word being typed.
var completionScripts = map[string]string{
	"bash": `# bash completion for nixbuild-lint: source <(nixbuild-lint completion bash)
_nixbuild_lint() {
  local cur="${COMP_WORDS[COMP_CWORD]}"
  local IFS=$'\n'
  local cands
  cands=$("${COMP_WORDS[0]}" "${COMP_WORDS[@]:1:COMP_CWORD-1}" ` + completeFlag + ` 2>/dev/null)
  COMPREPLY=($(compgen -W "$cands" -- "$cur"))
  if [ ${#COMPREPLY[@]} -eq 0 ]; then
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
}
complete -o filenames -F _nixbuild_lint nixbuild-lint
`,
	"zsh": `#compdef nixbuild-lint
# zsh completion for nixbuild-lint: source <(nixbuild-lint completion zsh)
_nixbuild_lint() {
  local -a cands
  cands=("${(@f)$(${words[1]} ${words[2,CURRENT-1]} ` + completeFlag + ` 2>/dev/null)}")
  if (( ${#cands} )) && [[ -n "${cands[1]}" ]]; then
    compadd -a cands
  else
    _files
  fi
}
compdef _nixbuild_lint nixbuild-lint
`,
	"fish": `# fish completion for nixbuild-lint: nixbuild-lint completion fish | source
function __nixbuild_lint_complete
    set -l words (commandline -opc)
    $words[1] $words[2..-1] ` + completeFlag + ` 2>/dev/null
end
complete -c nixbuild-lint -f -a '(__nixbuild_lint_complete)'
`,
}

func completionCmd(c *cli.Context, stdout io.Writer) error {
	shell := c.Args().First()
	script, ok := completionScripts[shell]
	if !ok {
		return usageError{fmt.Sprintf("completion wants bash, zsh or fish, not %q", shell)}
	}
	_, err := io.WriteString(stdout, script)
	return err
}
