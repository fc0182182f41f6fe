// Command nixbuild-lint checks a NixOS fleet's remote-builder setup across
// hosts: every client's nix.buildMachines against what each builder offers.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"sync"
	"syscall"
)

func main() {
	stop := startProfiles(os.Stderr)
	code := run(os.Args, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// startProfiles writes Go profiles of the run for whoever measures the
// reader (docs/development.md): a CPU profile to the file NBL_CPUPROFILE
// names, and a heap profile (what was allocated, and what is live at the
// end) to NBL_MEMPROFILE. Unset, nothing is profiled. The returned
// function ends the profiles; so does an interrupt or a `timeout` (SIGINT,
// SIGTERM) while profiling, before the run ends with exit 2, so that a run
// that does not finish can still be looked into.
func startProfiles(stderr *os.File) func() {
	if os.Getenv("NBL_CPUPROFILE") == "" && os.Getenv("NBL_MEMPROFILE") == "" {
		return func() {}
	}
	var cpu *os.File
	if p := os.Getenv("NBL_CPUPROFILE"); p != "" {
		f, err := os.Create(p)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintf(stderr, "nixbuild-lint: NBL_CPUPROFILE: %v\n", err)
		} else {
			cpu = f
		}
	}
	var once sync.Once
	stop := func() { once.Do(func() { writeProfiles(cpu, stderr) }) }
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		<-sig
		stop()
		os.Exit(exitTrouble)
	}()
	return stop
}

func writeProfiles(cpu *os.File, stderr *os.File) {
	if cpu != nil {
		pprof.StopCPUProfile()
		_ = cpu.Close()
	}
	p := os.Getenv("NBL_MEMPROFILE")
	if p == "" {
		return
	}
	f, err := os.Create(p)
	if err == nil {
		runtime.GC()
		err = pprof.Lookup("allocs").WriteTo(f, 0)
		_ = f.Close()
	}
	if err != nil {
		fmt.Fprintf(stderr, "nixbuild-lint: NBL_MEMPROFILE: %v\n", err)
	}
}
