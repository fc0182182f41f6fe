// Command nixbuild-lint checks a NixOS fleet's remote-builder setup across
// hosts: every client's nix.buildMachines against what each builder offers.
package main

import (
	"os"
)

func main() {
	os.Exit(run(os.Args, os.Stdout, os.Stderr))
}
