package main

import "github.com/nixbuild-lint/nixbuild-lint/check"

// copyWithOverlay is the copy the Nix reader re-checks fixes in (it moved
// to package check with the pipeline; the tests here keep their name).
var copyWithOverlay = check.CopyWithOverlay
