package lang

import "fmt"

// InputError is a problem with what the user gave us: it names the file
// (and line) and makes the tool exit 2.
type InputError struct {
	File string
	Line int
	Msg  string
	// Syntax: the file is not Nix. It stops the whole run, where a missing
	// import or an undefined variable stops only the host that reaches it.
	Syntax bool
}

// Error is file:line: message.
func (e *InputError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	if e.File != "" {
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	}
	return e.Msg
}
