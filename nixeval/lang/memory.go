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

// overBudget is the value of whatever is evaluated once the step budget is
// spent; the first place it ran out is kept for ExceededWhy.
func (ev *Evaluator) overBudget(sp Span) *Unknown {
	if !ev.exceeded {
		ev.exceeded = true
		ev.exceededAt = sp
		if !sp.Valid() || sp.Src.Internal && !sp.Src.Store {
			ev.exceededAt = ev.callAt
		}
	}
	return &Unknown{Why: ev.ExceededWhy(), At: sp}
}

// ExceededWhy says that the step budget ran out, how large it is, and where
// it ran out: in a flake input's code (read from the store), the input and
// its file, so that the input whose modules took the work is named.
func (ev *Evaluator) ExceededWhy() string {
	why := fmt.Sprintf("evaluation budget exceeded (%d million steps for the whole fleet)", ev.Budget/1_000_000)
	if ev.Budget < 1_000_000 {
		why = fmt.Sprintf("evaluation budget exceeded (%d steps for the whole fleet)", ev.Budget)
	}
	if sp := ev.exceededAt; sp.Valid() && sp.Src.Input != "" {
		why += " in flake input " + sp.Src.Input + " (" + sp.Src.InputPath + ")"
	}
	return why
}

// ChargeModel counts the work a Go model of the module system does for
// the evaluation — a config path it makes and keeps (bytes), the modules
// it looks through (steps) — against the same budgets as the evaluation
// itself: a fleet whose modules make that work grow (a path a name longer
// each time, thousands of modules asked for each path) ends in unknown
// values, not minutes and gigabytes. It returns nil while within both,
// else the unknown value; sp is what the work is for, when known.
func (ev *Evaluator) ChargeModel(steps int, bytes int64, sp Span) *Unknown {
	ev.steps += steps
	if ev.steps > ev.Budget {
		return ev.overBudget(sp)
	}
	return ev.charge(bytes, sp)
}

// CostThunk is what a thunk and its map entry are charged (ChargeModel).
func CostThunk() int64 { return costThunk }
