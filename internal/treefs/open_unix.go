//go:build unix

package treefs

import (
	"os"
	"syscall"
)

// openNonBlocking opens p for reading without waiting for a writer (a FIFO
// opens at once, and is then refused) and, with noFollow, without
// following a symlink put there since p was resolved.
func openNonBlocking(p string, noFollow bool) (*os.File, error) {
	flags := os.O_RDONLY | syscall.O_NONBLOCK
	if noFollow {
		flags |= syscall.O_NOFOLLOW
	}
	return os.OpenFile(p, flags, 0)
}
