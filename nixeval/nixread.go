package nixeval

import (
	"context"
	"errors"

	"github.com/nixbuild-lint/nixbuild-lint/model"
	"github.com/nixbuild-lint/nixbuild-lint/nixeval/lang"
	"github.com/nixbuild-lint/nixbuild-lint/nixeval/nixcli"
)

// NixOptions configure evaluation with the real Nix (package nixcli).
type NixOptions = nixcli.Options

// NixError is a host that Nix failed to evaluate.
type NixError = nixcli.Error

// HasNix reports whether a nix binary is on PATH.
func HasNix() bool { return nixcli.HasNix() }

// ReadNix evaluates the flake at the reader's root with Nix (package
// nixcli): values from Nix, positions from the static reader where it could
// place them. It returns the fleet of every host that evaluated, and the
// hosts that did not.
func (r *Reader) ReadNix(ctx context.Context, opts NixOptions) (*model.Fleet, []*NixError, error) {
	return r.ReadNixIn(ctx, r.Root, opts)
}

// ReadNixIn is ReadNix with Nix given dir, a copy of the reader's tree
// (what Nix may see of it: the files git tracks), in place of the tree:
// the static reading (positions, files, the paths Nix's store paths stand
// for) is the tree's, and so is the fleet's root.
func (r *Reader) ReadNixIn(ctx context.Context, dir string, opts NixOptions) (*model.Fleet, []*NixError, error) {
	fleet, failed, err := nixcli.Read(ctx, dir, &staticBase{root: r.Root}, opts)
	if fleet != nil {
		fleet.Root = r.Root
	}
	var fe *nixcli.FlakeError
	if errors.As(err, &fe) {
		return nil, nil, &InputError{File: fe.File, Msg: fe.Msg}
	}
	var se *nixcli.SyntaxError
	if errors.As(err, &se) {
		return nil, nil, &InputError{File: se.File, Line: se.Line, Msg: se.Msg, Syntax: true}
	}
	if err != nil {
		return nil, nil, err
	}
	markShared(fleet)
	return fleet, failed, nil
}

// staticBase gives the Nix backend the static reading of the tree.
type staticBase struct {
	root string
	loc  *locator
}

func (b *staticBase) Static() *model.Fleet {
	f, _ := NewReader(b.root).Read(b.root, nil)
	return f
}

func (b *staticBase) Place(locations map[string][]string) *model.Host {
	if b.loc == nil {
		b.loc = newLocator(b.root)
	}
	return b.loc.placeHost(locations)
}

// SetImpure makes the static reader read as nix --impure does (--impure):
// builtins.getEnv sees the environment, builtins.currentSystem is this
// machine's system.
func SetImpure(on bool) { lang.Impure = on }
