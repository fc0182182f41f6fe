package lang

import "testing"

// TestImplicationChains: `->` is right-associative and weaker than `||`,
// as in Nix; go-nix alone rejects `a -> b -> c` (it makes `->`
// non-associative). Each case is compared with the real
// nix-instantiate --eval; the chosen values tell the groupings apart
// (`false -> true -> false` is true grouped to the right, false to the
// left).
func TestImplicationChains(t *testing.T) {
	cases := []struct{ expr, want string }{
		{`false -> true -> false`, "true"},
		{`true -> true -> false`, "false"},
		{`true || false -> false`, "false"},
		{`false -> false || true`, "true"},
		{`true -> false && true || true -> false`, "false"},
		{`true -> false == false -> false`, "false"},
		{`(false -> true) -> false`, "false"},
		{`let f = x: y: x -> y -> x; in [ (f false true) (f true false) ]`, "[ true true ]"},
		{`let a- = 1; in a->0`, "true"},
		{`[ (true -> false) ("a -> b" == "a -> b") ''->'' ]`, `[ false true "->" ]`},
		{`let e = { enable = true; encoder = "x"; }; in e.enable -> e.encoder == "nvenc" -> (e.nvidia or false)`, "true"},
		{`let e = { enable = true; encoder = "nvenc"; }; in e.enable -> e.encoder == "nvenc" -> (e.nvidia or false)`, "false"},
		{`false || false || true`, "true"},
	}
	compareWithNix(t, NewEvaluator(nil), cases)
}
