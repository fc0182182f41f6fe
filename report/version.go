package report

import (
	"runtime/debug"
	"sync"
)

var (
	versionOnce sync.Once
	version     string
)

// Version is the tool's version as the build recorded it: the module
// version ("(devel)" when built from a checkout) and, when the build knew
// it, the VCS revision (with "-dirty" for uncommitted changes). The same
// string appears in --version, JSON output and SARIF's driver.version.
func Version() string {
	versionOnce.Do(func() {
		version = "(devel)"
		info, ok := debug.ReadBuildInfo()
		if !ok {
			return
		}
		if v := info.Main.Version; v != "" {
			version = v
		}
		rev, dirty := "", false
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
		if rev != "" {
			if len(rev) > 12 {
				rev = rev[:12]
			}
			if dirty {
				rev += "-dirty"
			}
			version += " " + rev
		}
	})
	return version
}
