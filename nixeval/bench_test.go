package nixeval_test

import (
	"fmt"
	"testing"

	"github.com/nixbuild-lint/nixbuild-lint/internal/fleetgen"
	"github.com/nixbuild-lint/nixbuild-lint/nixeval"
	"github.com/nixbuild-lint/nixbuild-lint/rules"
)

// BenchmarkStaticCheck reads a generated fleet and runs every rule: the
// whole work of `nixbuild-lint PATH` but printing.
func BenchmarkStaticCheck(b *testing.B) {
	for _, n := range []int{10, 100, 1000} {
		b.Run(fmt.Sprintf("hosts=%d", n), func(b *testing.B) {
			dir := b.TempDir()
			size, err := fleetgen.Write(dir, n)
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for b.Loop() {
				f, err := nixeval.NewReader(dir).Read(dir, nil)
				if err != nil {
					b.Fatal(err)
				}
				rules.Run(f)
			}
		})
	}
}
