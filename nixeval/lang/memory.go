package lang

import (
	"fmt"
	"unsafe"
)

// The evaluation budget counts memory as well as steps: one step can double
// a string or a list (`a1 = a0 + a0; a2 = a1 + a1; …`), so sixty steps ask
// for an exabyte. Every value the evaluator builds whose size the program
// chooses — string bytes, list elements, attributes, decoded JSON and TOML —
// is charged before it is built. Past the budget the value is unknown, and
// so is everything evaluated after it: the read ends with the file and line
// where the memory ran out.

// DefaultMemBudget is the memory (in bytes) one read may build. A real
// fleet builds far less: a generated fleet of 1,000 hosts 4 MB (see
// TestHostileMemoryRealFleets).
var DefaultMemBudget int64 = 512 << 20

// Costs, in bytes, of what is charged.
var (
	costThunk = int64(unsafe.Sizeof(Thunk{})) + 16
	costElem  = int64(unsafe.Sizeof((*Thunk)(nil)))
	costAttr  = int64(unsafe.Sizeof(Attr{})) + 48 // the attribute and its map entry
)

// MemoryError is the end of an evaluation that built more than the budget.
type MemoryError struct {
	At     Span
	Budget int64
}

func (e *MemoryError) Error() string {
	return fmt.Sprintf("%s: %s", e.At, e.msg())
}

func (e *MemoryError) msg() string {
	return fmt.Sprintf("evaluation used more than %d MB (strings, lists and attribute sets it built)", e.Budget>>20)
}

// InputError is the error as the reader reports it: file, line, message.
func (e *MemoryError) InputError() *InputError {
	l := e.At.Loc()
	return &InputError{File: l.File, Line: l.Line, Msg: e.msg()}
}

// charge counts n bytes about to be built at sp. It returns nil while
// within the budget, else the unknown value to return instead.
func (ev *Evaluator) charge(n int64, sp Span) *Unknown {
	if ev.memOut == nil {
		ev.used += n
		if ev.used <= ev.MemBudget && n >= 0 {
			return nil
		}
		if sp.Src == nil || sp.Src.Internal {
			sp = ev.callAt
		}
		ev.memOut = &MemoryError{At: sp, Budget: ev.MemBudget}
	}
	return &Unknown{Why: ev.memOut.msg(), At: sp}
}

// chargeHere charges n bytes built by a builtin at the call being made.
func (ev *Evaluator) chargeHere(n int64) *Unknown { return ev.charge(n, ev.callAt) }

// OutOfMemory is the error that ended the evaluation for memory, or nil.
func (ev *Evaluator) OutOfMemory() *MemoryError { return ev.memOut }

// MemoryUsed is how many bytes the evaluation has been charged.
func (ev *Evaluator) MemoryUsed() int64 { return ev.used }
